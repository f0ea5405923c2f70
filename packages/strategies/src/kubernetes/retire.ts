import type { ClusterClientV1, DeployConfig, KubeObject } from '@ferry/core';
import { FIELD_MANAGER } from './labels.js';
import { deploymentsOf } from './manifests.js';
import { deploymentRef, listVersions, replicaSetRef, scaleReplicaSet } from './replica-sets.js';
import type { DeploymentRollout } from './rollout-state.js';

/** Scales every version of the Deployment except the new one to zero. Returns their names. */
export async function scaleDownOldVersions(client: ClusterClientV1, rollout: DeploymentRollout, signal: AbortSignal): Promise<string[]> {
  const versions = await listVersions(client, rollout.namespace, rollout.deployment, signal);
  const old = versions.map((rs) => rs.metadata.name).filter((name) => name !== rollout.canary.name);
  await Promise.all(old.map((name) => scaleReplicaSet(client, rollout.namespace, name, 0, signal)));
  return old;
}

export async function deleteReplicaSets(client: ClusterClientV1, namespace: string, names: string[], signal: AbortSignal): Promise<void> {
  await Promise.all(names.map((name) => client.delete(replicaSetRef(namespace, name), { signal, propagationPolicy: 'Background' })));
}

/**
 * The Deployment object after promotion. Kept (`keepDeploymentObject: true`): applied at
 * 0 replicas, for tools that look it up; the managed ReplicaSets carry only Ferry's labels,
 * so its controller does not adopt them. Not kept: a Deployment of that name left in the
 * cluster (an earlier kept one) is deleted.
 */
export async function settleDeploymentObject(
  client: ClusterClientV1,
  config: DeployConfig,
  manifests: KubeObject[],
  rollout: DeploymentRollout,
  signal: AbortSignal,
): Promise<void> {
  if (config.deploymentConfig.keepDeploymentObject) {
    const manifest = deploymentsOf(manifests, rollout.namespace).find((d) => d.metadata.name === rollout.deployment);
    if (manifest) {
      const kept = { ...manifest, spec: { ...(manifest.spec as Record<string, unknown>), replicas: 0 } };
      await client.apply(kept, { fieldManager: FIELD_MANAGER, force: true, signal });
    }
    return;
  }
  const ref = deploymentRef(rollout.namespace, rollout.deployment);
  if (await client.get(ref, { signal })) await client.delete(ref, { signal, propagationPolicy: 'Background' });
}
