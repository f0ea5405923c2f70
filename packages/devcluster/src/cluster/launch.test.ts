import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchComponent } from './launch.js';
import { isRunning, stopProcessGroup } from './processes.js';

// A stand-in component: the first start (no marker file yet) fails the way Go servers do when a
// port was taken; later starts serve HTTP 200 on the given port.
const FLAKY_SERVER = `
const [port, marker] = process.argv.slice(1);
const fs = require('node:fs');
if (!fs.existsSync(marker)) {
  fs.writeFileSync(marker, port);
  console.error('listen tcp 127.0.0.1:' + port + ': bind: address already in use');
  process.exit(1);
}
require('node:http').createServer((req, res) => res.end('ok')).listen(Number(port), '127.0.0.1');
`;

describe('launchComponent', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-launch-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('retries with new ports when the component lost a port race, then waits until it is ready', async () => {
    const marker = join(dir, 'first-port');
    const launched = await launchComponent({
      component: 'flaky',
      command: process.execPath,
      logFile: join(dir, 'flaky.log'),
      portCount: 1,
      toPorts: ([port]) => port!,
      args: (port) => ['-e', FLAKY_SERVER, String(port), marker],
      readyUrl: (port) => `http://127.0.0.1:${port}/`,
      timeoutMs: 20_000,
    });
    try {
      expect(existsSync(marker)).toBe(true);
      expect(isRunning(launched.process)).toBe(true);
      expect(await readFile(join(dir, 'flaky.log'), 'utf8')).toContain('address already in use');
      expect((await fetch(`http://127.0.0.1:${launched.ports}/`)).status).toBe(200);
    } finally {
      await stopProcessGroup(launched.process, 5_000);
    }
  });

  it('fails at once, naming the log, when the component exits for another reason', async () => {
    const logFile = join(dir, 'crash.log');
    await expect(
      launchComponent({
        component: 'crasher',
        command: 'sh',
        logFile,
        portCount: 1,
        toPorts: ([port]) => port!,
        args: () => ['-c', 'echo "bad flag"; exit 3'],
        readyUrl: (port) => `http://127.0.0.1:${port}/`,
        timeoutMs: 20_000,
      }),
    ).rejects.toThrow(logFile);
    await expect(readFile(logFile, 'utf8')).resolves.toContain('bad flag');
  });

  it('times out with a message naming the URL and the log, and stops the process', async () => {
    const logFile = join(dir, 'silent.log');
    const error = await launchComponent({
      component: 'silent',
      command: 'sh',
      logFile,
      portCount: 1,
      toPorts: ([port]) => port!,
      args: () => ['-c', 'echo $$; exec sleep 300'],
      readyUrl: (port) => `http://127.0.0.1:${port}/readyz`,
      timeoutMs: 1_500,
    }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/timed out after 2s waiting for silent to become ready at http:\/\/127\.0\.0\.1:\d+\/readyz.*see .*silent\.log/);
    const pid = Number((await readFile(logFile, 'utf8')).trim());
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });
});
