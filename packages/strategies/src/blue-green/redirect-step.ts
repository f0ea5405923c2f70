import type { StepContextV1, StepOutcomeV1 } from '@ferry/core';
import { persist } from '../kubernetes/rollout-state.js';
import { loadRolloutState } from '../kubernetes/rollouts.js';
import { targetServicePairs } from './context.js';
import { pinService, rolloutForService } from './services.js';

/** The active Service selects the new version. */
export async function redirectBlueGreen(ctx: StepContextV1): Promise<StepOutcomeV1> {
  const client = await ctx.cluster();
  const state = await loadRolloutState(client, ctx, 'blueGreen');
  for (const pair of targetServicePairs(ctx)) {
    const rollout = await rolloutForService(client, ctx.target.namespace, pair.active, state.rollouts, ctx.manifests, ctx.signal);
    await pinService(client, rollout.namespace, pair.active, rollout.canary, ctx.signal);
  }
  return { status: 'succeeded', ...persist(state), events: [{ type: 'strategy.trafficRedirected', data: { replicaSets: state.rollouts.map((r) => r.canary.name) } }] };
}
