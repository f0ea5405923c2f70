import { APPLY_STEP_KIND } from '../../plan/build-plan.js';
import type { StepKindV1 } from '../../plugins/contracts.js';
import { isCrd, waitForCrdsEstablished } from '../crd-established.js';
import { applyOrder } from '../target-manifests.js';

/** The field manager Ferry applies with. */
export const FIELD_MANAGER = 'ferry';

/** `apply`: a strategy-less target's manifests, server-side applied, CRDs first (and Established before the rest). Idempotent. */
export function applyStepKind(): StepKindV1 {
  return {
    specificationVersion: 'v1',
    kind: APPLY_STEP_KIND,
    async run(ctx) {
      const cluster = await ctx.cluster();
      const applied: string[] = [];
      const ordered = applyOrder(ctx.manifests);
      for (const [i, object] of ordered.entries()) {
        ctx.signal.throwIfAborted();
        if (i > 0 && isCrd(ordered[i - 1]!) && !isCrd(object)) await waitForCrdsEstablished(cluster, ordered.slice(0, i), { signal: ctx.signal });
        await cluster.apply(object, { fieldManager: FIELD_MANAGER, force: true, signal: ctx.signal });
        applied.push(`${object.kind}/${object.metadata.name}`);
      }
      return { status: 'succeeded', state: { applied } };
    },
  };
}
