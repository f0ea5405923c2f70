import { FerryError, type ClusterClientV1, type KubeObject, type SetWeightStep, type StepContextV1, type StepOutcomeV1 } from '@ferry/core';
import { FIELD_MANAGER } from '../kubernetes/labels.js';
import type { ManagedReplicaSet } from '../kubernetes/managed-replica-set.js';
import { readinessOutcome, formatTimeout, type ReadinessWait } from '../kubernetes/readiness.js';
import { replicaSetRef, specReplicas } from '../kubernetes/replica-sets.js';
import { isFirstDeployment, persist, type DeploymentRollout, type RolloutState } from '../kubernetes/rollout-state.js';
import { loadRolloutState, managedSets } from '../kubernetes/rollouts.js';
import { providerFor, routeState, trafficContext, trafficRoutes, type TrafficRoute } from '../kubernetes/traffic.js';
import { canaryReplicasForTrafficWeight, replicasForWeight } from '../pod-ratio.js';

export interface SetWeightOptions {
  pollIntervalMs: number;
}

interface Scaling {
  rollout: DeploymentRollout;
  set: ManagedReplicaSet;
  canary: { current: KubeObject | null; desired: number };
  stable: { current: KubeObject | null; desired: number } | null;
  /** Whether a traffic provider splits this Deployment's traffic (else: pod ratio). */
  routed: boolean;
}

/**
 * Moves the canary to a weight, in an order that never drops capacity:
 * 1. replica counts that go up are applied, and the step waits until they are ready;
 * 2. traffic providers (if any) shift traffic to the weight and confirm it;
 * 3. replica counts that go down are applied.
 * Every part is "set to N", so re-running the step (each poll, or after a crash) is safe.
 */
export async function setCanaryWeight(ctx: StepContextV1, options: SetWeightOptions): Promise<StepOutcomeV1> {
  const weight = (ctx.step.config as SetWeightStep).weight;
  const client = await ctx.cluster();
  const state = await loadRolloutState(client, ctx, 'canary');
  const routes = isFirstDeployment(state) ? [] : trafficRoutes(ctx.trafficManagement, ctx.target.name, state.rollouts, ctx.manifests);
  const sets = new Map(managedSets(ctx).map((s) => [s.deploymentName, s]));
  const scalings = await Promise.all(state.rollouts.map((rollout) => plan(client, ctx, rollout, sets, routes, weight)));
  const timing = { now: ctx.now(), startedAt: ctx.startedAt, timeout: ctx.config.deploymentConfig.timeout, pollIntervalMs: options.pollIntervalMs };

  // 1. Scale up, then wait for readiness.
  const waits = await Promise.all(scalings.map((s) => scaleUp(client, ctx, s, state)));
  const notReady = readinessOutcome(waits.flat(), timing, persist(state));
  if (notReady) return notReady;

  // 2. Shift traffic.
  for (const route of routes) {
    const rollout = state.rollouts.find((r) => r.deployment === route.deployment);
    if (!rollout) continue;
    const moved = await shiftTraffic(client, ctx, route, rollout, state, weight);
    if (!moved) {
      if (timing.now - timing.startedAt >= timing.timeout.ms) {
        return { status: 'failed', reason: `traffic provider ${route.kind} did not confirm weight ${weight}% within ${formatTimeout(timing.timeout)} (deploymentConfig.timeout)`, ...persist(state) };
      }
      return { status: 'waiting', ...persist(state), wakeAt: timing.now + options.pollIntervalMs };
    }
  }

  // 3. Scale down.
  await Promise.all(scalings.map((s) => scaleDown(client, ctx, s)));
  state.weight = weight;
  return { status: 'succeeded', ...persist(state), events: [{ type: 'strategy.weightSet', data: { weight, deployments: scalings.map(summary) } }] };
}

async function plan(
  client: ClusterClientV1,
  ctx: StepContextV1,
  rollout: DeploymentRollout,
  sets: Map<string, ManagedReplicaSet>,
  routes: TrafficRoute[],
  weight: number,
): Promise<Scaling> {
  const set = sets.get(rollout.deployment);
  if (!set) throw new FerryError('manifests_changed', `Deployment ${rollout.deployment} of the rollout state is not in the manifests`);
  const [canary, stable] = await Promise.all([
    client.get(replicaSetRef(rollout.namespace, rollout.canary.name), { signal: ctx.signal }),
    rollout.stable ? client.get(replicaSetRef(rollout.namespace, rollout.stable.name), { signal: ctx.signal }) : null,
  ]);
  const routed = routes.some((r) => r.deployment === rollout.deployment);
  if (!rollout.stable) return { rollout, set, canary: { current: canary, desired: rollout.total }, stable: null, routed };
  if (routed) {
    return { rollout, set, canary: { current: canary, desired: canaryReplicasForTrafficWeight(rollout.total, weight) }, stable: { current: stable, desired: rollout.stable.replicas }, routed };
  }
  const split = replicasForWeight(rollout.total, weight);
  return { rollout, set, canary: { current: canary, desired: split.canary }, stable: { current: stable, desired: split.stable }, routed };
}

async function scaleUp(client: ClusterClientV1, ctx: StepContextV1, s: Scaling, state: RolloutState): Promise<ReadinessWait[]> {
  const waits: ReadinessWait[] = [];
  const canaryCount = s.canary.current ? specReplicas(s.canary.current) : -1;
  let canary = s.canary.current;
  // A missing canary ReplicaSet (deleted by hand) is re-created: applying it is idempotent.
  if (!canary || canaryCount < s.canary.desired) {
    canary = await client.apply(s.set.object(s.canary.desired), { fieldManager: FIELD_MANAGER, force: true, signal: ctx.signal });
  }
  waits.push({ replicaSet: canary, desired: Math.min(s.canary.desired, specReplicas(canary)) });

  if (s.stable?.current && s.rollout.stable) {
    let stable = s.stable.current;
    if (specReplicas(stable) < s.stable.desired) {
      stable = await client.patch(replicaSetRef(s.rollout.namespace, s.rollout.stable.name), { spec: { replicas: s.stable.desired } }, { signal: ctx.signal });
    }
    // Wait for the stable only when this step grows it beyond the last weight's count.
    const previous = s.routed ? s.rollout.stable.replicas : replicasForWeight(s.rollout.total, state.weight).stable;
    if (s.stable.desired > previous) waits.push({ replicaSet: stable, desired: s.stable.desired });
  }
  return waits;
}

async function scaleDown(client: ClusterClientV1, ctx: StepContextV1, s: Scaling): Promise<void> {
  if (s.canary.current && specReplicas(s.canary.current) > s.canary.desired) {
    await client.apply(s.set.object(s.canary.desired), { fieldManager: FIELD_MANAGER, force: true, signal: ctx.signal });
  }
  if (s.stable?.current && s.rollout.stable && specReplicas(s.stable.current) > s.stable.desired) {
    await client.patch(replicaSetRef(s.rollout.namespace, s.rollout.stable.name), { spec: { replicas: s.stable.desired } }, { signal: ctx.signal });
  }
}

/** Prepares the provider once (its result persisted in the state), sets the weight and verifies it. */
async function shiftTraffic(client: ClusterClientV1, ctx: StepContextV1, route: TrafficRoute, rollout: DeploymentRollout, state: RolloutState, weight: number): Promise<boolean> {
  const provider = providerFor(route, ctx.trafficProvider, ctx.target.name);
  const saved = routeState(state.traffic, route);
  if (!saved.prepared) {
    saved.state = await provider.prepare(trafficContext(client, route, rollout, saved, ctx.signal));
    saved.prepared = true;
  }
  const tctx = trafficContext(client, route, rollout, saved, ctx.signal);
  await provider.setWeight(tctx, weight);
  return provider.verifyWeight(tctx, weight);
}

function summary(s: Scaling) {
  return { deployment: s.rollout.deployment, canary: s.canary.desired, stable: s.stable?.desired ?? 0, mode: s.routed ? 'traffic' : 'podRatio' };
}
