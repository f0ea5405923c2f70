import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, eventually, jsonClient, sampleAppDeployment, sampleAppService, waitForReadyReplicaSet } from '../node/e2e-helpers.js';
import { type KubeHttp } from '../node/kube-http.js';
import { startTraffic } from '../traffic/start-traffic.js';
import { devcluster, useTestNamespace } from '../vitest/index.js';
import { queryPrometheus } from './query.js';
import { startPrometheus, type RunningPrometheus } from './start-prometheus.js';

describe('Prometheus on a dev cluster', () => {
  const ns = useTestNamespace({ prefix: 'prom' });
  let http: KubeHttp;
  let url: string;
  let own: RunningPrometheus | undefined;
  const workDir = mkdtempSync(join(tmpdir(), 'ferry-prom-e2e-'));

  beforeAll(async () => {
    const cluster = devcluster();
    http = await jsonClient(cluster.kubeconfigPath);
    // Use the cluster's Prometheus when the setup started one, else our own on the node's targets.
    if (cluster.prometheusUrl) url = cluster.prometheusUrl;
    else {
      own = await startPrometheus({ clusterName: cluster.name, stateDir: cluster.dir, workDir, logFile: join(workDir, 'prometheus.log') });
      url = own.url;
    }
  });
  afterAll(async () => {
    await own?.stop();
    http.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('reports up == 1 for every pod, labelled by ReplicaSet, and per-ReplicaSet 5xx rates from real traffic', async () => {
    const { name, kubeconfigPath, cluster } = ns.current;
    await apply(kubeconfigPath, name, sampleAppDeployment({ name: 'sample-app', image: 'ferry/sample-app:v3', replicas: 3 }) + '---\n' + sampleAppService());
    const replicaset = await waitForReadyReplicaSet(http, name, 'sample-app', 3);

    const up = await eventually(
      'up == 1 for 3 pods',
      async () => {
        const samples = await queryPrometheus(url, `up{namespace="${name}"}`);
        return samples.length === 3 && samples.every((s) => s.value === 1) ? samples : undefined;
      },
      60_000,
      1_000,
    );
    for (const sample of up) {
      expect(sample.metric).toMatchObject({ namespace: name, replicaset, container: 'sample-app', app: 'sample-app' });
      expect(sample.metric.pod).toMatch(new RegExp(`^${replicaset}-`));
      expect(sample.metric.pod_template_hash).toBe(replicaset.slice('sample-app-'.length));
    }

    // v3 fails 30% of requests; the rate query a canary analysis would run sees it.
    const traffic = await startTraffic({ kubeconfigPath, namespace: name, service: 'sample-app', ratePerSecond: 20, stateDir: cluster.dir, maxDurationMs: 60_000 });
    try {
      await sleep(10_000);
      const ratio = await eventually(
        'a 5xx ratio for the ReplicaSet',
        async () => {
          const [sample] = await queryPrometheus(
            url,
            `sum(rate(http_requests_total{code=~"5..",replicaset="${replicaset}"}[1m])) / sum(rate(http_requests_total{replicaset="${replicaset}"}[1m]))`,
          );
          return sample && Number.isFinite(sample.value) ? sample.value : undefined;
        },
        30_000,
        1_000,
      );
      expect(ratio).toBeGreaterThan(0.1);
      expect(ratio).toBeLessThan(0.5);
    } finally {
      await traffic.stop();
    }
    expect(traffic.stats().byVersion.v3).toBeGreaterThan(100);
  });
});
