import type { Json } from '@ferry/core';

/** A running version of a Deployment, as found when the rollout started. */
export interface VersionState {
  name: string;
  hash: string;
  /** The label holding `hash`: Ferry's, or `pod-template-hash` for an adopted ReplicaSet. */
  hashLabel: string;
  /** Its replica count before the rollout: what a rollback restores. */
  replicas: number;
}

/** One Deployment of the target being rolled out. */
export interface DeploymentRollout {
  deployment: string;
  namespace: string;
  /** Replicas of the new version at 100%. */
  total: number;
  canary: { name: string; hash: string; hashLabel: string; replicasBefore: number };
  /** Null on the application's first deployment. */
  stable: VersionState | null;
}

/** A traffic provider configuration that applies to this target, and what its `prepare` returned. */
export interface TrafficRouteState {
  kind: string;
  /** Position of this entry among all `trafficManagement[*][kind]` entries of the target. */
  index: number;
  /** The Deployment whose versions it splits traffic between. */
  deployment: string;
  prepared: boolean;
  state: Json;
}

/** What the strategies persist through step outcomes. */
export interface RolloutState {
  strategy: 'canary' | 'blueGreen';
  rollouts: DeploymentRollout[];
  traffic: TrafficRouteState[];
  /** The last weight fully reached (canary). */
  weight: number;
  /**
   * The new version's ReplicaSet (of the first Deployment): what `{{armory.replicaSetName}}`
   * in analysis queries and webhooks names. Absent when the target has no Deployment.
   */
  replicaSetName?: string;
  /** The stable version's ReplicaSet (of the first Deployment), for comparative judges. */
  stableReplicaSetName?: string;
}

/** A new rollout state, with the names analyses refer to. */
export function newRolloutState(strategy: RolloutState['strategy'], rollouts: DeploymentRollout[]): RolloutState {
  const first = rollouts[0];
  return {
    strategy,
    rollouts,
    traffic: [],
    weight: 0,
    ...(first ? { replicaSetName: first.canary.name } : {}),
    ...(first?.stable ? { stableReplicaSetName: first.stable.name } : {}),
  };
}

export function toJson(state: RolloutState): Json {
  return state as unknown as Json;
}

/** The state a step persisted, when it has the expected shape. */
export function fromJson(value: Json | undefined): RolloutState | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (!Array.isArray(value.rollouts) || !Array.isArray(value.traffic)) return undefined;
  return value as unknown as RolloutState;
}

export function isFirstDeployment(state: RolloutState): boolean {
  return state.rollouts.every((r) => r.stable === null);
}

/** Outcome fields that persist the rollout state: for this step's re-runs and for the whole target. */
export function persist(state: RolloutState): { state: Json; strategyState: Json } {
  const json = toJson(state);
  return { state: json, strategyState: json };
}
