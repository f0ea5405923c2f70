import { describe, expect, it } from 'vitest';
import { kubectl } from '../cluster/kubectl.js';
import { useTestNamespace } from '../vitest/index.js';

const deployment = (namespace: string) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${namespace}
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.25
          ports: [{ name: http, containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${namespace}
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
`;

describe('a Deployment on the dev cluster', () => {
  const ns = useTestNamespace({ prefix: 'deploy' });

  it('is rolled out by the real controllers: ReplicaSet with 3 ready pods, listed in the Endpoints', async () => {
    const { name, kubeconfigPath, apps, core } = ns.current;
    const applied = await kubectl(kubeconfigPath, ['apply', '-f', '-'], { input: deployment(name) });
    expect(applied.stdout).toContain('deployment.apps/web created');

    // The deployment controller creates the ReplicaSet, the replicaset controller its 3 pods.
    const replicaSet = await expect
      .poll(async () => (await apps.listNamespacedReplicaSet({ namespace: name })).items, { timeout: 60_000, interval: 500 })
      .toHaveLength(1)
      .then(async () => (await apps.listNamespacedReplicaSet({ namespace: name })).items[0]!);
    expect(replicaSet.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web' });
    expect(replicaSet.spec?.replicas).toBe(3);
    await expect.poll(async () => (await core.listNamespacedPod({ namespace: name })).items.length, { timeout: 60_000 }).toBe(3);

    // The simulated node runs them and reports them ready; the ReplicaSet and Deployment see it.
    await expect
      .poll(async () => (await apps.readNamespacedReplicaSet({ name: replicaSet.metadata!.name!, namespace: name })).status?.readyReplicas, {
        timeout: 120_000,
        interval: 1_000,
      })
      .toBe(3);
    const rollout = await kubectl(kubeconfigPath, ['-n', name, 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect(rollout.stdout).toContain('successfully rolled out');

    // The endpoint controller lists every ready pod's IP behind the Service.
    const pods = (await core.listNamespacedPod({ namespace: name })).items;
    const podIps = pods.map((pod) => pod.status?.podIP).sort();
    expect(podIps.every((ip) => typeof ip === 'string' && ip.length > 0)).toBe(true);
    await expect
      .poll(
        async () => {
          const endpoints = await core.readNamespacedEndpoints({ name: 'web', namespace: name });
          return (endpoints.subsets ?? []).flatMap((s) => s.addresses ?? []).map((a) => a.ip).sort();
        },
        { timeout: 60_000, interval: 500 },
      )
      .toEqual(podIps);
  });
});
