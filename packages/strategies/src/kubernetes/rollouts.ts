import type { ClusterClientV1, DeployConfig, Json, KubeObject, TargetConfig } from '@ferry/core';
import { autoscalerOf, withinBounds } from './autoscalers.js';
import { DEPLOYMENT_LABEL, HASH_LABEL } from './labels.js';
import { deploymentsOf } from './manifests.js';
import { managedReplicaSet, type ManagedReplicaSet } from './managed-replica-set.js';
import { deploymentRef, listOwnedBy, replicaSetRef, listVersions, ownerDeploymentUid, pickStable, specReplicas, versionOf } from './replica-sets.js';
import { fromJson, newRolloutState, type DeploymentRollout, type RolloutState } from './rollout-state.js';

/** What both step and rollback contexts offer, which is all rollouts need. */
export interface RolloutInputs {
  deploymentId: string;
  target: TargetConfig;
  config: DeployConfig;
  manifests: KubeObject[];
  signal: AbortSignal;
}

// The engine hands every step of a target the same manifests array, so hashing the pod
// templates once per array (not once per step and poll) is a pure cache.
const setsByManifests = new WeakMap<KubeObject[], { key: string; sets: ManagedReplicaSet[] }>();

/** The managed ReplicaSet of every Deployment of the target's manifests. */
export function managedSets(input: RolloutInputs): ManagedReplicaSet[] {
  const facts = { application: input.config.application, deploymentId: input.deploymentId, environment: input.target.name };
  const key = JSON.stringify([facts, input.target.namespace]);
  const cached = setsByManifests.get(input.manifests);
  if (cached?.key === key) return cached.sets;
  const sets = deploymentsOf(input.manifests, input.target.namespace).map((d) => managedReplicaSet(d, facts));
  setsByManifests.set(input.manifests, { key, sets });
  return sets;
}

/**
 * Finds, for each Deployment, the new version's ReplicaSet and the running ("stable") one:
 * the Ferry-managed ReplicaSet of that Deployment with another hash, else one owned by a
 * Deployment object of that name (an app first deployed with kubectl). With `adopt`, such a
 * kubectl-made ReplicaSet is labelled as Ferry's and its Deployment deleted with orphaning
 * propagation, so that its pods keep serving and no Deployment controller fights the
 * rollout's scaling. Labelling comes first: re-run after a crash, this finds the same stable.
 */
export async function discoverRollouts(client: ClusterClientV1, input: RolloutInputs, options: { adopt: boolean }): Promise<DeploymentRollout[]> {
  return Promise.all(
    managedSets(input).map((set) => discoverRollout(client, set, autoscalerOf(input.manifests, set.deploymentName, set.namespace), input.signal, options.adopt)),
  );
}

async function discoverRollout(client: ClusterClientV1, set: ManagedReplicaSet, autoscaler: KubeObject | undefined, signal: AbortSignal, adopt: boolean): Promise<DeploymentRollout> {
  const { namespace, deploymentName } = set;
  const versions = await listVersions(client, namespace, deploymentName, signal);
  const existingCanary = versions.find((rs) => rs.metadata.name === set.name);
  let stable = pickStable(versions.filter((rs) => rs.metadata.name !== set.name));

  const deployment = await client.get(deploymentRef(namespace, deploymentName), { signal });
  if (deployment) {
    const owned = await listOwnedBy(client, deployment, signal);
    stable ??= pickStable(owned.filter((rs) => rs.metadata.name !== set.name));
    if (adopt && stable && ownerDeploymentUid(stable) === deployment.metadata.uid) {
      await Promise.all(
        owned.map((rs) => client.patch(replicaSetRef(namespace, rs.metadata.name), { metadata: { labels: { [DEPLOYMENT_LABEL]: deploymentName } } }, { signal })),
      );
      await client.delete(deploymentRef(namespace, deploymentName), { signal, propagationPolicy: 'Orphan' });
    }
  }

  const version = stable ? versionOf(stable) : null;
  // Under an autoscaler the new version starts at the size it chose for the stable one.
  const total = autoscaler ? withinBounds(autoscaler, stable ? specReplicas(stable) : set.total) : set.total;
  return {
    deployment: deploymentName,
    namespace,
    total,
    canary: { name: set.name, hash: set.hash, hashLabel: HASH_LABEL, replicasBefore: existingCanary ? specReplicas(existingCanary) : 0 },
    stable: stable && version ? { name: stable.metadata.name, ...version, replicas: specReplicas(stable) } : null,
  };
}

/**
 * The rollout state a step continues from: what this step last returned, else what the
 * target's strategy last persisted, else (state lost) rediscovered from the cluster.
 */
export async function loadRolloutState(
  client: ClusterClientV1,
  input: RolloutInputs & { state?: Json | undefined; strategyState: Json | undefined },
  strategy: RolloutState['strategy'],
): Promise<RolloutState> {
  const persisted = fromJson(input.state) ?? fromJson(input.strategyState);
  if (persisted) return persisted;
  return newRolloutState(strategy, await discoverRollouts(client, input, { adopt: false }));
}
