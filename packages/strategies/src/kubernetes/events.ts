import type { PluginEventV1 } from '@ferry/core';
import type { RolloutState } from './rollout-state.js';

/** `strategy.versionsResolved`: which ReplicaSets are the new and the stable version. */
export function rolloutEvent(state: RolloutState): PluginEventV1 {
  return {
    type: 'strategy.versionsResolved',
    data: {
      strategy: state.strategy,
      deployments: state.rollouts.map((r) => ({
        deployment: r.deployment,
        namespace: r.namespace,
        replicas: r.total,
        newReplicaSet: r.canary.name,
        stableReplicaSet: r.stable?.name ?? null,
      })),
    },
  };
}
