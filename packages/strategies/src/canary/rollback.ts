import type { RollbackContextV1 } from '@ferry/core';
import { autoscaleReplicaSet } from '../kubernetes/autoscalers.js';
import { FIELD_MANAGER } from '../kubernetes/labels.js';
import { removeReplicaSet, scaleReplicaSet } from '../kubernetes/replica-sets.js';
import { fromJson, type DeploymentRollout } from '../kubernetes/rollout-state.js';
import { discoverRollouts, managedSets } from '../kubernetes/rollouts.js';
import { providerFor, trafficContext, trafficRoutes } from '../kubernetes/traffic.js';

/**
 * Rolls a canary back, for every Deployment of the target at once:
 * 1. traffic providers send all traffic to the stable version;
 * 2. the stable ReplicaSet goes back to its replica count from before the rollout while
 *    the canary goes to zero;
 * 3. providers restore the user's routing objects, and the canary ReplicaSet is deleted.
 * A "canary" that was already running before this rollout (nothing changed) goes back to
 * its former count instead. Without persisted state (the rollout failed before `deploy`
 * finished), the versions are rediscovered and the canary is removed only when a stable
 * version exists to fall back on. Idempotent.
 */
export async function rollbackCanary(ctx: RollbackContextV1): Promise<void> {
  const client = await ctx.cluster();
  const persisted = fromJson(ctx.strategyState);
  const rollouts = persisted?.rollouts ?? (await discoverRollouts(client, ctx, { adopt: false }));
  const routes = trafficRoutes(ctx.trafficManagement, ctx.target.name, rollouts, ctx.manifests);
  // Every configured route, prepared or not: a setWeight that failed after its provider had
  // already changed routing objects, but before its outcome was persisted, leaves no
  // `prepared` entry behind. Providers' `prepare` only reads (it recovers the user's
  // originals), so preparing again here is safe and lets restore clean up.
  const contexts = await Promise.all(
    routes.flatMap((route) => {
      const rollout = rollouts.find((r) => r.deployment === route.deployment);
      if (!rollout) return [];
      const saved = persisted?.traffic.find((t) => t.kind === route.kind && t.index === route.index);
      const provider = providerFor(route, ctx.trafficProvider, ctx.target.name);
      return [
        (async () => {
          if (saved?.prepared) return { provider, tctx: trafficContext(client, route, rollout, saved, ctx.signal) };
          const fresh = { kind: route.kind, index: route.index, deployment: route.deployment, prepared: false, state: null };
          const state = await provider.prepare(trafficContext(client, route, rollout, fresh, ctx.signal));
          return { provider, tctx: trafficContext(client, route, rollout, { ...fresh, prepared: true, state }, ctx.signal) };
        })(),
      ];
    }),
  );

  await Promise.all(contexts.map(({ provider, tctx }) => provider.setWeight(tctx, 0)));
  const sets = new Map(managedSets(ctx).map((s) => [s.deploymentName, s]));
  await Promise.all(rollouts.map((r) => restoreReplicas(r)));
  await Promise.all(contexts.map(({ provider, tctx }) => provider.restore(tctx)));
  await Promise.all(rollouts.map((r) => removeCanary(r)));
  // The autoscaler, frozen for the rollout, comes back on the version that runs.
  await Promise.all(rollouts.map((r) => (r.stable ? autoscaleReplicaSet(client, ctx.manifests, r.deployment, r.namespace, r.stable.name, ctx.signal) : undefined)));

  async function restoreReplicas(r: DeploymentRollout): Promise<void> {
    if (!persisted && !r.stable) return; // the only version running: nothing to go back to
    await Promise.all([
      r.stable ? scaleReplicaSet(client, r.namespace, r.stable.name, r.stable.replicas, ctx.signal) : undefined,
      r.canary.replicasBefore > 0
        ? restoreFormerCanary(r)
        : scaleReplicaSet(client, r.namespace, r.canary.name, 0, ctx.signal),
    ]);
  }

  async function restoreFormerCanary(r: DeploymentRollout): Promise<void> {
    const set = sets.get(r.deployment);
    if (set) await client.apply(set.object(r.canary.replicasBefore), { fieldManager: FIELD_MANAGER, force: true, signal: ctx.signal });
  }

  async function removeCanary(r: DeploymentRollout): Promise<void> {
    if (r.canary.replicasBefore > 0 || (!persisted && !r.stable)) return;
    await removeReplicaSet(client, r.namespace, r.canary.name, ctx.signal);
  }
}
