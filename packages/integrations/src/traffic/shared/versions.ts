import type { ClusterClientV1 } from '@ferry/core';

/** Labels that carry a version's hash on its pods: Ferry's, the reference's (Istio subsets), and Kubernetes' own (adopted ReplicaSets). */
export const FERRY_HASH_LABEL = 'ferry.dev/pod-template-hash';
export const ARMORY_HASH_LABEL = 'armory-pod-template-hash';
const KUBE_HASH_LABEL = 'pod-template-hash';
export const HASH_LABELS = [FERRY_HASH_LABEL, ARMORY_HASH_LABEL, KUBE_HASH_LABEL];

/**
 * The pod label that selects exactly one version's pods: the first of `preferred` the
 * ReplicaSet's pods carry with the hash. A stable version adopted from a Kubernetes
 * Deployment has only `pod-template-hash`, so looking beats assuming.
 */
export async function versionLabel(
  client: ClusterClientV1,
  namespace: string,
  version: { replicaSetName?: string; podTemplateHash?: string },
  preferred: string[],
  signal: AbortSignal,
): Promise<Record<string, string> | null> {
  const hash = version.podTemplateHash;
  if (!hash) return null;
  const candidates = [...preferred, FERRY_HASH_LABEL, ARMORY_HASH_LABEL, KUBE_HASH_LABEL];
  if (version.replicaSetName) {
    const set = await client.get({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: version.replicaSetName, namespace }, { signal });
    const labels = (set?.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template?.metadata?.labels;
    if (labels) {
      const key = candidates.find((k) => labels[k] === hash);
      if (key) return { [key]: hash };
    }
  }
  return { [candidates[0]!]: hash };
}

/**
 * Which version runs once a rollout has ended, read from the cluster: the promotion scales
 * the old version to zero before restoring traffic objects, a rollback scales the canary to
 * zero first. `TrafficContextV1` does not say which of the two called `restore`.
 */
export async function survivingVersion(
  client: ClusterClientV1,
  namespace: string,
  stable: { replicaSetName?: string },
  canary: { replicaSetName: string },
  signal: AbortSignal,
): Promise<'stable' | 'canary'> {
  const replicas = async (name: string | undefined) => {
    if (!name) return 0;
    const set = await client.get({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, namespace }, { signal });
    return (set?.spec as { replicas?: number } | undefined)?.replicas ?? 0;
  };
  const [s, c] = await Promise.all([replicas(stable.replicaSetName), replicas(canary.replicaSetName)]);
  return c > 0 && s === 0 ? 'canary' : 'stable';
}
