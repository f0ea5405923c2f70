import type { StepContextV1, StepOutcomeV1 } from '@ferry/core';
import { autoscaleReplicaSet } from '../kubernetes/autoscalers.js';
import { deleteReplicaSets, scaleDownOldVersions, settleDeploymentObject } from '../kubernetes/retire.js';
import { persist } from '../kubernetes/rollout-state.js';
import { loadRolloutState } from '../kubernetes/rollouts.js';

/** The old version is scaled to zero, then removed; the Deployment object is kept or removed; the autoscaler comes back on the new version. */
export async function shutDownOldVersion(ctx: StepContextV1): Promise<StepOutcomeV1> {
  const client = await ctx.cluster();
  const state = await loadRolloutState(client, ctx, 'blueGreen');
  const removed = await Promise.all(
    state.rollouts.map(async (r) => {
      const old = await scaleDownOldVersions(client, r, ctx.signal);
      await deleteReplicaSets(client, r.namespace, old, ctx.signal);
      await settleDeploymentObject(client, ctx.config, ctx.manifests, r, ctx.signal);
      await autoscaleReplicaSet(client, ctx.manifests, r.deployment, r.namespace, r.canary.name, ctx.signal);
      return old;
    }),
  );
  return { status: 'succeeded', ...persist(state), events: [{ type: 'strategy.oldVersionRemoved', data: { removed: removed.flat() } }] };
}
