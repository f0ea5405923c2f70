/**
 * Pods-to-ready benchmark: starts a throwaway dev cluster (control plane + simulated node), creates
 * one Deployment of N replicas and measures how long until every pod is Ready, per pod
 * (creationTimestamp → Ready condition) and overall (apply → last pod Ready).
 *
 * Run: `npm run bench:pods -w @ferry/devcluster -- [replicas] [image]` (after building @ferry/sample-app).
 * Defaults: 200 replicas of `registry.local/pause:3.2` (a simulated container); pass
 * `ferry/sample-app:v1` to run every pod as a real sample-app process with a readiness probe.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster } from '../src/cluster/start.js';
import { kubectl } from '../src/cluster/kubectl.js';
import { jsonClient, listPods, sampleAppDeployment } from '../src/node/e2e-helpers.js';

const replicas = Number(process.argv[2] ?? 200);
const image = process.argv[3] ?? 'registry.local/pause:3.2';
const timeoutMs = 10 * 60_000;

const home = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
const cluster = await startCluster({ name: 'bench', dataDir: join(home, 'bench'), prometheus: false });
const http = await jsonClient(cluster.kubeconfigPath);
try {
  await kubectl(cluster.kubeconfigPath, ['create', 'namespace', 'bench']);
  // The namespace's default ServiceAccount token must exist before pods are admitted.
  for (let i = 0; i < 300; i++) {
    const sa = await kubectl(cluster.kubeconfigPath, ['-n', 'bench', 'get', 'serviceaccount', 'default', '-o', 'jsonpath={.secrets}'], { allowFailure: true });
    if (sa.stdout.trim()) break;
    await sleep(200);
  }
  const manifest = sampleAppDeployment({ name: 'bench', image, replicas });
  const started = Date.now();
  await kubectl(cluster.kubeconfigPath, ['-n', 'bench', 'apply', '-f', '-'], { input: manifest });
  let ready = 0;
  let pods = await listPods(http, 'bench');
  while (Date.now() - started < timeoutMs) {
    pods = await listPods(http, 'bench');
    ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    if (ready === replicas && pods.length === replicas) break;
    await sleep(250);
  }
  const wallMs = Date.now() - started;
  if (ready !== replicas) throw new Error(`only ${ready}/${replicas} pods ready after ${wallMs} ms`);
  // Per pod: creation → Ready transition, from the API's own timestamps (1 s resolution).
  const perPod = pods
    .map((p) => {
      const created = Date.parse((p.metadata as { creationTimestamp?: string }).creationTimestamp ?? '');
      const readyAt = Date.parse(
        (p.status?.conditions as { type: string; lastTransitionTime?: string }[] | undefined)?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '',
      );
      return (readyAt - created) / 1000;
    })
    .sort((a, b) => a - b);
  const pct = (q: number) => perPod[Math.min(perPod.length - 1, Math.floor(q * perPod.length))];
  console.log(
    JSON.stringify({
      replicas,
      image,
      allReadySeconds: wallMs / 1000,
      perPodSeconds: { p50: pct(0.5), p90: pct(0.9), max: perPod[perPod.length - 1] },
    }),
  );
} finally {
  http.close();
  await cluster.stop();
  rmSync(home, { recursive: true, force: true });
}
