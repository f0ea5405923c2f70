import type { StepContextV1, StepOutcomeV1 } from '@ferry/core';
import { freezeAutoscaler } from '../kubernetes/autoscalers.js';
import { FIELD_MANAGER } from '../kubernetes/labels.js';
import { applyOtherManifests } from '../kubernetes/manifests.js';
import { rolloutEvent } from '../kubernetes/events.js';
import { isFirstDeployment, newRolloutState, persist } from '../kubernetes/rollout-state.js';
import { discoverRollouts, managedSets } from '../kubernetes/rollouts.js';
import { providerFor, trafficRoutes } from '../kubernetes/traffic.js';

/**
 * Applies the other manifests, finds (or adopts) the stable version of each Deployment and
 * applies the new version's ReplicaSet at 0 replicas (or at its current count, when the
 * "new" version is already running: nothing changed). With no stable version anywhere it
 * asks to skip to the final weight.
 */
export async function deployCanary(ctx: StepContextV1): Promise<StepOutcomeV1> {
  const client = await ctx.cluster();
  await applyOtherManifests(client, ctx.manifests, ctx.target.namespace, ctx.signal);
  const rollouts = await discoverRollouts(client, ctx, { adopt: true });
  await Promise.all(rollouts.map((r) => freezeAutoscaler(client, ctx.manifests, r.deployment, r.namespace, ctx.signal)));
  const sets = managedSets(ctx);
  // discoverRollouts keeps the order of managedSets.
  await Promise.all(
    sets.map((set, i) => client.apply(set.object(rollouts[i]?.canary.replicasBefore ?? 0), { fieldManager: FIELD_MANAGER, force: true, signal: ctx.signal })),
  );
  const state = newRolloutState('canary', rollouts);
  const first = isFirstDeployment(state);
  // A provider configured but not registered fails here, before any traffic moves.
  if (!first) for (const route of trafficRoutes(ctx.trafficManagement, ctx.target.name, rollouts, ctx.manifests)) providerFor(route, ctx.trafficProvider, ctx.target.name);
  return {
    status: 'succeeded',
    ...persist(state),
    events: [rolloutEvent(state)],
    ...(first ? { skipRemainingSteps: true } : {}),
  };
}
