import type { StepContextV1, StepOutcomeV1 } from '@ferry/core';
import { freezeAutoscaler } from '../kubernetes/autoscalers.js';
import { rolloutEvent } from '../kubernetes/events.js';
import { FIELD_MANAGER } from '../kubernetes/labels.js';
import { applyOtherManifests } from '../kubernetes/manifests.js';
import { readinessOutcome } from '../kubernetes/readiness.js';
import { replicaSetRef } from '../kubernetes/replica-sets.js';
import { fromJson, isFirstDeployment, newRolloutState, persist } from '../kubernetes/rollout-state.js';
import { discoverRollouts, managedSets } from '../kubernetes/rollouts.js';
import { targetServicePairs } from './context.js';
import { pinService, rolloutForService } from './services.js';

/**
 * Applies the other manifests, pins the active Service to the running version (so the new
 * pods get no traffic even when its selector matched every version), brings the new
 * ReplicaSet up at full size, waits until it is ready, then points the preview Service at
 * it. Polls (re-runs with its state) only re-check readiness.
 */
export async function deployBlueGreen(ctx: StepContextV1, options: { pollIntervalMs: number }): Promise<StepOutcomeV1> {
  const client = await ctx.cluster();
  const pairs = targetServicePairs(ctx);
  let state = fromJson(ctx.state);
  if (!state) {
    await applyOtherManifests(client, ctx.manifests, ctx.target.namespace, ctx.signal);
    const rollouts = await discoverRollouts(client, ctx, { adopt: true });
    await Promise.all(rollouts.map((r) => freezeAutoscaler(client, ctx.manifests, r.deployment, r.namespace, ctx.signal)));
    state = newRolloutState('blueGreen', rollouts);
    for (const pair of pairs) {
      const rollout = await rolloutForService(client, ctx.target.namespace, pair.active, rollouts, ctx.manifests, ctx.signal);
      if (rollout.stable) await pinService(client, rollout.namespace, pair.active, rollout.stable, ctx.signal);
    }
    const sets = managedSets(ctx);
    await Promise.all(sets.map((set, i) => client.apply(set.object(rollouts[i]?.total ?? set.total), { fieldManager: FIELD_MANAGER, force: true, signal: ctx.signal })));
  }

  const current = await Promise.all(state.rollouts.map((r) => client.get(replicaSetRef(r.namespace, r.canary.name), { signal: ctx.signal })));
  const waits = state.rollouts.flatMap((r, i) => {
    const rs = current[i];
    return rs ? [{ replicaSet: rs, desired: r.total }] : [];
  });
  const timing = { now: ctx.now(), startedAt: ctx.startedAt, timeout: ctx.config.deploymentConfig.timeout, pollIntervalMs: options.pollIntervalMs };
  const notReady = readinessOutcome(waits, timing, persist(state));
  if (notReady) return notReady;

  for (const pair of pairs) {
    if (!pair.preview) continue;
    const rollout = await rolloutForService(client, ctx.target.namespace, pair.preview, state.rollouts, ctx.manifests, ctx.signal);
    await pinService(client, rollout.namespace, pair.preview, rollout.canary, ctx.signal);
  }
  return { status: 'succeeded', ...persist(state), events: [rolloutEvent(state)], ...(isFirstDeployment(state) ? { skipRemainingSteps: true } : {}) };
}
