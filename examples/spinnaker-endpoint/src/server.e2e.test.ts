import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestNamespace, type TestNamespace } from '@ferry/devcluster/vitest';
import { createSqliteStore } from '@ferry/store-sql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runWebhookStage } from './orca-driver.test-support.js';
import { startSpinnakerEndpoint, type RunningSpinnakerEndpoint } from './start.js';

/**
 * The endpoint as Spinnaker uses it, on a dev cluster: Orca's webhook stage (driven like
 * Orca drives it) releases the sample app v1, then canaries it to v2, polling the status URL
 * each time until SUCCEEDED. State lives in a real SQLite file.
 */
const TOKEN = 'orca-and-ferry-share-this-secret';
let ns: TestNamespace | undefined;
let endpoint: RunningSpinnakerEndpoint | undefined;
let dir: string | undefined;

beforeEach(async () => {
  ns = await createTestNamespace({ prefix: 'spinnaker' });
  dir = await mkdtemp(join(tmpdir(), 'ferry-spinnaker-endpoint-'));
  const store = await createSqliteStore({ path: join(dir, 'ferry.db') });
  endpoint = await startSpinnakerEndpoint({ token: TOKEN, kubeconfigPath: ns.kubeconfigPath, store, pollIntervalMs: 500 });
  const close = endpoint.close;
  endpoint.close = async () => {
    await close();
    await store.destroy();
  };
});
afterEach(async () => {
  await endpoint?.close();
  await ns?.delete();
  if (dir) await rm(dir, { recursive: true, force: true });
  endpoint = ns = dir = undefined;
});

function payload(image: string) {
  const n = ns as TestNamespace;
  return {
    deployFile: `version: v1
kind: kubernetes
application: spinnaker-sample
deploymentConfig:
  timeout: {duration: 120, unit: seconds}
targets:
  dev:
    account: ${n.kubeConfig.getCurrentContext()}
    namespace: ${n.name}
    strategy: canary-half
strategies:
  canary-half:
    canary:
      steps:
        - setWeight: 50
        - pause: {duration: 2, unit: seconds}
manifests:
  - path: app.yaml
`,
    // protocol is spelled out: Kubernetes 1.20's server-side apply rejects ports without it.
    manifests: {
      'app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: sample-app, labels: {app: sample-app}}
spec:
  replicas: 2
  selector: {matchLabels: {app: sample-app}}
  template:
    metadata: {labels: {app: sample-app}}
    spec:
      containers:
        - name: sample-app
          image: ${image}
          ports: [{name: http, containerPort: 8080, protocol: TCP}]
          readinessProbe:
            httpGet: {path: /health/readiness, port: http}
            periodSeconds: 1
`,
    },
    contextJson: JSON.stringify({ pipeline: 'deploy-sample', image }),
    user: 'spinnaker-user',
  };
}

async function readyImages(): Promise<Record<string, number>> {
  const n = ns as TestNamespace;
  const pods = await n.core.listNamespacedPod({ namespace: n.name });
  const images: Record<string, number> = {};
  for (const pod of pods.items) {
    if (pod.metadata?.deletionTimestamp || !pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    const image = pod.spec?.containers[0]?.image ?? '?';
    images[image] = (images[image] ?? 0) + 1;
  }
  return images;
}

describe('the Spinnaker endpoint on a dev cluster', () => {
  it('runs v1 then a canary to v2 for two webhook stages, each polled to SUCCEEDED', async () => {
    const url = `${(endpoint as RunningSpinnakerEndpoint).url}/spinnaker/deployments`;
    const first = await runWebhookStage({ url, token: TOKEN, payload: payload('ferry/sample-app:v1') });
    expect(first.outcome, JSON.stringify(first.last)).toBe('SUCCEEDED');
    await expect.poll(readyImages, { timeout: 60_000, interval: 500 }).toEqual({ 'ferry/sample-app:v1': 2 });

    const second = await runWebhookStage({ url, token: TOKEN, payload: payload('ferry/sample-app:v2') });
    expect(second.outcome, JSON.stringify(second.last)).toBe('SUCCEEDED');
    // Orca saw the rollout in progress before it ended.
    expect(second.progress[0]).toMatch(/^dev: (PENDING|RUNNING|PAUSED)$/);
    expect(second.progress.at(-1)).toBe('dev: SUCCEEDED');
    await expect.poll(readyImages, { timeout: 60_000, interval: 500 }).toEqual({ 'ferry/sample-app:v2': 2 });

    const record = await (endpoint as RunningSpinnakerEndpoint).engine.get(String(second.startResponse.body.id));
    expect(record.spec.by).toBe('spinnaker-user');
    expect(record.spec.context).toEqual({ pipeline: 'deploy-sample', image: 'ferry/sample-app:v2' });
  });
});
