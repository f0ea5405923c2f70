import type { StepContextV1, StepOutcomeV1 } from '@ferry/core';
import { autoscaleReplicaSet } from '../kubernetes/autoscalers.js';
import { deleteReplicaSets, scaleDownOldVersions, settleDeploymentObject } from '../kubernetes/retire.js';
import { persist } from '../kubernetes/rollout-state.js';
import { loadRolloutState } from '../kubernetes/rollouts.js';
import { providerFor, trafficContext, trafficRoutes } from '../kubernetes/traffic.js';

/**
 * The new version is the stable one: old ReplicaSets are scaled to zero, traffic providers
 * restore the user's routing objects (which now reach only new pods), then the old
 * ReplicaSets are deleted, the Deployment object is kept or removed, and its autoscaler
 * comes back on the new ReplicaSet.
 */
export async function promoteCanary(ctx: StepContextV1): Promise<StepOutcomeV1> {
  const client = await ctx.cluster();
  const state = await loadRolloutState(client, ctx, 'canary');
  const routes = trafficRoutes(ctx.trafficManagement, ctx.target.name, state.rollouts, ctx.manifests);

  const retired = await Promise.all(state.rollouts.map((r) => scaleDownOldVersions(client, r, ctx.signal)));
  for (const saved of state.traffic.filter((t) => t.prepared)) {
    const route = routes.find((r) => r.kind === saved.kind && r.index === saved.index);
    const rollout = state.rollouts.find((r) => r.deployment === saved.deployment);
    if (!route || !rollout) continue;
    await providerFor(route, ctx.trafficProvider, ctx.target.name).restore(trafficContext(client, route, rollout, saved, ctx.signal));
    saved.prepared = false;
  }
  await Promise.all(
    state.rollouts.map(async (r, i) => {
      await deleteReplicaSets(client, r.namespace, retired[i] ?? [], ctx.signal);
      await settleDeploymentObject(client, ctx.config, ctx.manifests, r, ctx.signal);
      await autoscaleReplicaSet(client, ctx.manifests, r.deployment, r.namespace, r.canary.name, ctx.signal);
    }),
  );
  return { status: 'succeeded', ...persist(state), events: [{ type: 'strategy.promoted', data: { replicaSets: state.rollouts.map((r) => r.canary.name), removed: retired.flat() } }] };
}
