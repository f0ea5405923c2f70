import { randomBytes } from 'node:crypto';
import { parseDeployFile } from '@ferry/core';
import { createTestNamespace, type TestNamespace } from '@ferry/devcluster/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from './platform.js';
import { REDIS_URL } from './test-redis.js';

/**
 * The embedded platform end to end: Ferry's engine with the platform's Redis store and its
 * change-freeze step, deploying the sample app on a dev cluster. The freeze holds the
 * release; lifting it lets v1 go out, then a canary to v2.
 */
let ns: TestNamespace | undefined;
let platform: Platform | undefined;
let prefix: string;

beforeEach(async () => {
  ns = await createTestNamespace({ prefix: 'platform' });
  prefix = `ferry-e2e:${randomBytes(6).toString('hex')}:`;
  platform = createPlatform({ redisUrl: REDIS_URL, keyPrefix: prefix, kubeconfigPath: ns.kubeconfigPath, recheckMs: 250, pollIntervalMs: 500 });
});
afterEach(async () => {
  if (platform) {
    await platform.engine.close();
    await platform.store.destroy();
    await platform.calendar.destroy();
  }
  await ns?.delete();
  platform = ns = undefined;
});

function file(image: string) {
  const n = ns as TestNamespace;
  return parseDeployFile(`version: v1
kind: kubernetes
application: platform-sample
deploymentConfig:
  timeout: {duration: 120, unit: seconds}
targets:
  dev:
    account: ${n.kubeConfig.getCurrentContext()}
    namespace: ${n.name}
    strategy: canary-half
    constraints:
      beforeDeployment:
        - custom: {kind: changeFreeze, config: {calendar: dev}}
strategies:
  canary-half:
    canary:
      steps:
        - setWeight: 50
        - pause: {duration: 2, unit: seconds}
# protocol is spelled out: Kubernetes 1.20's server-side apply rejects ports without it.
manifests:
  - inline: |
      apiVersion: apps/v1
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
`);
}

async function untilEnded(id: string): Promise<string> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const { state } = await (platform as Platform).engine.get(id);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED'].includes(state.status)) return state.status;
    if (Date.now() > deadline) throw new Error(`deployment ${id} is still ${state.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
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

describe('Ferry embedded in a platform with its own Redis store and step kind', () => {
  it('holds the release during a freeze, then deploys v1 and canaries to v2 on a dev cluster', async () => {
    const p = platform as Platform;
    const n = ns as TestNamespace;
    await p.calendar.freeze('dev', 'release freeze');
    const v1 = await p.engine.start(await file('ferry/sample-app:v1'), { by: 'platform-ui' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await p.engine.get(v1.id)).state.status).not.toBe('SUCCEEDED');
    expect((await n.apps.listNamespacedReplicaSet({ namespace: n.name })).items).toEqual([]);

    await p.calendar.lift('dev');
    expect(await untilEnded(v1.id)).toBe('SUCCEEDED');
    await expect.poll(readyImages, { timeout: 60_000, interval: 500 }).toEqual({ 'ferry/sample-app:v1': 2 });

    const v2 = await p.engine.start(await file('ferry/sample-app:v2'), { by: 'platform-ui' });
    expect(await untilEnded(v2.id)).toBe('SUCCEEDED');
    await expect.poll(readyImages, { timeout: 60_000, interval: 500 }).toEqual({ 'ferry/sample-app:v2': 2 });

    // Everything the engine knows is in the platform's Redis.
    expect((await p.store.list({ application: 'platform-sample' })).map((d) => [d.id, d.state.status])).toEqual([
      [v2.id, 'SUCCEEDED'],
      [v1.id, 'SUCCEEDED'],
    ]);
    expect((await p.calendar.releases()).map((r) => r.deploymentId)).toEqual([v1.id, v2.id]);
    const events = await p.store.listEvents(v2.id);
    expect(events.some((e) => e.type === 'step.started' && e.target === 'dev')).toBe(true);
  });
});
