import type { TestNamespace } from '@ferry/devcluster/vitest';

export interface ReplicaSetCounts {
  name: string;
  image: string;
  desired: number;
  ready: number;
  current: number;
}

/** The namespace's ReplicaSets as the API server reports them, keyed by their container image's tag. */
export async function replicaSetsByImage(ns: TestNamespace): Promise<Record<string, ReplicaSetCounts>> {
  const list = await ns.apps.listNamespacedReplicaSet({ namespace: ns.name });
  const result: Record<string, ReplicaSetCounts> = {};
  for (const rs of list.items) {
    const image = rs.spec?.template?.spec?.containers[0]?.image ?? '?';
    result[image.split(':').pop() ?? image] = {
      name: rs.metadata?.name ?? '?',
      image,
      desired: rs.spec?.replicas ?? 0,
      ready: rs.status?.readyReplicas ?? 0,
      current: rs.status?.replicas ?? 0,
    };
  }
  return result;
}
