import { FerryInputError, type StepKindV1 } from '@ferry/core';
import { z } from 'zod';

/** `custom: {kind: objectPresent, config: {objects: [{kind: Deployment, name: web}]}}` */
const configSchema = z
  .object({
    objects: z.array(z.object({ apiVersion: z.string().default('v1'), kind: z.string().min(1), name: z.string().min(1) })).min(1),
  })
  .strict();

/**
 * A custom step kind: succeeds when every listed object exists in the target's namespace.
 * Read-only, so trivially idempotent.
 */
export function objectPresentStep(): StepKindV1 {
  return {
    specificationVersion: 'v1',
    kind: 'objectPresent',
    validate(config, { path }) {
      const parsed = configSchema.safeParse(config);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new FerryInputError(`${path}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { code: 'invalid_step' });
      }
      return parsed.data;
    },
    async run(ctx) {
      const { objects } = configSchema.parse(ctx.step.config);
      const cluster = await ctx.cluster();
      const missing: string[] = [];
      for (const o of objects) {
        const found = await cluster.get({ apiVersion: o.apiVersion, kind: o.kind, name: o.name, namespace: ctx.target.namespace }, { signal: ctx.signal });
        if (!found) missing.push(`${o.kind}/${o.name}`);
      }
      return missing.length === 0
        ? { status: 'succeeded', events: [{ type: 'objectPresent.checked', data: { count: objects.length } }] }
        : { status: 'failed', reason: `missing in cluster: ${missing.join(', ')}` };
    },
  };
}
