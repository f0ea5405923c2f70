import { FerryNotFoundError, type RollbackContextV1 } from '@ferry/core';
import { autoscaleReplicaSet } from '../kubernetes/autoscalers.js';
import { FIELD_MANAGER } from '../kubernetes/labels.js';
import { removeReplicaSet, scaleReplicaSet } from '../kubernetes/replica-sets.js';
import { fromJson } from '../kubernetes/rollout-state.js';
import { discoverRollouts, managedSets } from '../kubernetes/rollouts.js';
import { targetServicePairs } from './context.js';
import { pinService, rolloutForService } from './services.js';

/**
 * Active (and preview) Services back on the old version first, the old version back at its
 * former size, then the new ReplicaSet removed. With no old version (first deployment)
 * the Services are left alone; without persisted state the new ReplicaSet is removed only
 * when an old version exists. Idempotent.
 */
export async function rollbackBlueGreen(ctx: RollbackContextV1): Promise<void> {
  const client = await ctx.cluster();
  const persisted = fromJson(ctx.strategyState);
  const rollouts = persisted?.rollouts ?? (await discoverRollouts(client, ctx, { adopt: false }));
  const pairs = targetServicePairs(ctx);
  const sets = new Map(managedSets(ctx).map((s) => [s.deploymentName, s]));

  await Promise.all(
    pairs.flatMap((pair) =>
      [pair.active, pair.preview].flatMap((service) =>
        service
          ? [
              (async () => {
                const rollout = await rolloutForService(client, ctx.target.namespace, service, rollouts, ctx.manifests, ctx.signal);
                // A Service that is gone has no traffic to move back.
                if (rollout.stable) await pinService(client, rollout.namespace, service, rollout.stable, ctx.signal).catch(ignoreNotFound);
              })(),
            ]
          : [],
      ),
    ),
  );
  await Promise.all(
    rollouts.map(async (r) => {
      if (!persisted && !r.stable) return;
      if (r.stable) await scaleReplicaSet(client, r.namespace, r.stable.name, r.stable.replicas, ctx.signal);
      const set = sets.get(r.deployment);
      if (r.stable) await autoscaleReplicaSet(client, ctx.manifests, r.deployment, r.namespace, r.stable.name, ctx.signal);
      if (r.canary.replicasBefore > 0 && set) {
        await client.apply(set.object(r.canary.replicasBefore), { fieldManager: FIELD_MANAGER, force: true, signal: ctx.signal });
      } else {
        await removeReplicaSet(client, r.namespace, r.canary.name, ctx.signal);
      }
    }),
  );
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof FerryNotFoundError)) throw error;
}
