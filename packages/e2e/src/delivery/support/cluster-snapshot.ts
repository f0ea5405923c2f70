import type { TestNamespace } from '@ferry/devcluster/vitest';
import { until } from './wait.js';

/**
 * What a deployment leaves in a namespace, minus what differs between any two runs (uids,
 * resource versions, timestamps, managed fields, generations, cluster IPs): ReplicaSets with
 * their replicas, labels, annotations and pod templates, Services, and Deployments. Namespace
 * names and deployment ids are replaced by placeholders.
 */
export async function clusterSnapshot(ns: TestNamespace, deploymentIds: string[]): Promise<unknown> {
  const [replicaSets, services, deployments] = await Promise.all([
    ns.apps.listNamespacedReplicaSet({ namespace: ns.name }),
    ns.core.listNamespacedService({ namespace: ns.name }),
    ns.apps.listNamespacedDeployment({ namespace: ns.name }),
  ]);
  const snapshot = {
    replicaSets: replicaSets.items
      .map((rs) => ({
        name: rs.metadata?.name,
        labels: rs.metadata?.labels ?? {},
        annotations: rs.metadata?.annotations ?? {},
        ownerReferences: rs.metadata?.ownerReferences ?? [],
        spec: rs.spec,
        status: { replicas: rs.status?.replicas ?? 0, readyReplicas: rs.status?.readyReplicas ?? 0, availableReplicas: rs.status?.availableReplicas ?? 0 },
      }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
    services: services.items
      .map((s) => ({
        name: s.metadata?.name,
        labels: s.metadata?.labels ?? {},
        annotations: s.metadata?.annotations ?? {},
        type: s.spec?.type,
        selector: s.spec?.selector ?? {},
        ports: s.spec?.ports ?? [],
      }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
    deployments: deployments.items.map((d) => d.metadata?.name).sort(),
  };
  let text = JSON.stringify(snapshot);
  for (const [i, id] of deploymentIds.entries()) text = text.split(id).join(`<deployment-${i}>`);
  text = text.split(ns.name).join('<namespace>');
  return JSON.parse(text) as unknown;
}

/** Waits until every ReplicaSet's pods match its spec (old pods terminated, new ones ready). */
export async function settled(ns: TestNamespace): Promise<void> {
  await until(`ReplicaSets in ${ns.name} to settle`, async () => {
    const list = await ns.apps.listNamespacedReplicaSet({ namespace: ns.name });
    const pods = await ns.core.listNamespacedPod({ namespace: ns.name });
    const want = list.items.reduce((sum, rs) => sum + (rs.spec?.replicas ?? 0), 0);
    const ok = list.items.every((rs) => (rs.status?.replicas ?? 0) === (rs.spec?.replicas ?? 0) && (rs.status?.readyReplicas ?? 0) === (rs.spec?.replicas ?? 0));
    return ok && pods.items.length === want ? true : undefined;
  }, 120_000, 500);
}
