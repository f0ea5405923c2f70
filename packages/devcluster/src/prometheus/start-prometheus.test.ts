import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSampleApp, readConfigFromEnv } from '@ferry/sample-app';
import { afterAll, describe, expect, it } from 'vitest';
import { prometheusTargetsFile, writeJsonAtomic } from '../node/state-files.js';
import { queryPrometheus } from './query.js';
import { startPrometheus, type RunningPrometheus } from './start-prometheus.js';

// Real Prometheus scraping a real sample app found through the node's file_sd targets file.
describe('startPrometheus', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'ferry-prom-test-'));
  const app = createSampleApp(readConfigFromEnv({ VERSION: 'v3', ERROR_RATE: '1' }));
  let prometheus: RunningPrometheus | undefined;

  afterAll(async () => {
    await prometheus?.stop();
    app.server.closeAllConnections();
    await new Promise((resolve) => app.server.close(resolve));
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('scrapes the targets file with its labels, so per-ReplicaSet queries work', { timeout: 90_000 }, async () => {
    app.server.listen(0, '127.0.0.1');
    await once(app.server, 'listening');
    const port = (app.server.address() as AddressInfo).port;
    prometheus = await startPrometheus({ clusterName: 'unit', stateDir, logFile: join(stateDir, 'prometheus.log') });
    expect(prometheus.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    writeJsonAtomic(prometheusTargetsFile(stateDir), [
      { targets: [`127.0.0.1:${port}`], labels: { namespace: 'shop', pod: 'web-abc-1', replicaset: 'web-abc', pod_template_hash: 'abc' } },
    ]);
    for (let i = 0; i < 20; i++) await fetch(`http://127.0.0.1:${port}/`);

    const url = prometheus.url;
    const deadline = Date.now() + 60_000;
    let up: Awaited<ReturnType<typeof queryPrometheus>> = [];
    let errors: Awaited<ReturnType<typeof queryPrometheus>> = [];
    while (Date.now() < deadline) {
      up = await queryPrometheus(url, 'up{replicaset="web-abc"}');
      errors = await queryPrometheus(url, 'sum(http_requests_total{code=~"5..",replicaset="web-abc"})');
      if (up[0]?.value === 1 && errors[0]?.value === 20) break;
      await sleep(500);
    }
    expect(up).toHaveLength(1);
    expect(up[0]?.metric).toMatchObject({ namespace: 'shop', pod: 'web-abc-1', replicaset: 'web-abc', pod_template_hash: 'abc', job: 'pods' });
    expect(up[0]?.value).toBe(1);
    expect(errors[0]?.value).toBe(20);
  });
});
