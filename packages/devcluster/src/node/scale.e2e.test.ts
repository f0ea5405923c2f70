import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl } from '../cluster/kubectl.js';
import { devcluster, useTestNamespace } from '../vitest/index.js';
import { apply, eventually, isReady, jsonClient, listPods, sampleAppDeployment } from './e2e-helpers.js';
import { type KubeHttp } from './kube-http.js';

// Hundreds of pods: bound, run and reported Ready by the node, then finalized on scale-down.
// Simulated containers keep this about the node and the control plane, not process start-up.
describe('the simulated node at scale', () => {
  const ns = useTestNamespace({ prefix: 'scale' });
  let http: KubeHttp;
  beforeAll(async () => {
    http = await jsonClient(devcluster().kubeconfigPath);
  });
  afterAll(() => http.close());

  it('brings 200 pods to Ready and removes them all on scale-down to 0', { timeout: 300_000 }, async () => {
    const { name, kubeconfigPath } = ns.current;
    const started = Date.now();
    await apply(kubeconfigPath, name, sampleAppDeployment({ name: 'many', image: 'registry.local/pause:3.2', replicas: 200 }));
    const pods = await eventually(
      '200 ready pods',
      async () => {
        const list = await listPods(http, name);
        return list.length === 200 && list.every(isReady) ? list : undefined;
      },
      180_000,
      1_000,
    );
    const readySeconds = (Date.now() - started) / 1000;
    console.log(`200 pods ready in ${readySeconds.toFixed(1)} s`);
    expect(new Set(pods.map((p) => p.status?.podIP)).size).toBe(200);
    expect(pods.every((p) => p.spec.nodeName === 'ferry-dev-node')).toBe(true);

    await kubectl(kubeconfigPath, ['-n', name, 'scale', 'deployment/many', '--replicas=0']);
    await eventually('no pods left', async () => ((await listPods(http, name)).length === 0 ? true : undefined), 120_000, 1_000);
  });
});
