import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HUB_BIN, spawnHub } from './test-support/index.js';

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

describe('ferry-hub binary', () => {
  it('prints its URL and CA path, and drains and exits 0 on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ferry-hub-bin-'));
    dirs.push(dataDir);
    const hub = await spawnHub({ dataDir });
    expect(hub.output()).toContain(`ferry hub listening at ${hub.url}`);
    expect(hub.output()).toContain(`clients trust its CA: ${join(dataDir, 'tls', 'ca.pem')}`);
    expect((await hub.fetch('/health/readiness')).status).toBe(200);
    expect(await hub.stop()).toBe(0);
    const messages = hub
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('hub shutting down');
    expect(messages.at(-1)).toBe('hub stopped');
  });

  it('exits 2 with a clear message on bad options', () => {
    const result = spawnSync(process.execPath, [HUB_BIN, '--host', '10.1.2.3', '--plain-http', '--data-dir', join(tmpdir(), 'ferry-hub-never')], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('ferry-hub: invalid hub options: tls.mode: plain HTTP is allowed only on a loopback host');
  });
});
