import type { TestNamespace } from '@ferry/devcluster/vitest';

export interface ReplicaSetSummary {
  name: string;
  image: string;
  replicas: number;
  ready: number;
}

/** The namespace's ReplicaSets as the API server has them. */
export async function replicaSets(ns: Pick<TestNamespace, 'apps' | 'name'>): Promise<ReplicaSetSummary[]> {
  const list = await ns.apps.listNamespacedReplicaSet({ namespace: ns.name });
  return list.items
    .map((rs) => ({
      name: rs.metadata?.name ?? '',
      image: rs.spec?.template?.spec?.containers[0]?.image ?? '',
      replicas: rs.spec?.replicas ?? 0,
      ready: rs.status?.readyReplicas ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Images with at least one desired replica, e.g. `{ 'ferry/sample-app:v1': 2 }`. */
export async function liveImages(ns: Pick<TestNamespace, 'apps' | 'name'>): Promise<Record<string, number>> {
  const live: Record<string, number> = {};
  for (const rs of await replicaSets(ns)) if (rs.replicas > 0) live[rs.image] = (live[rs.image] ?? 0) + rs.replicas;
  return live;
}
