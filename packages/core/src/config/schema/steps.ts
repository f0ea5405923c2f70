import * as z from 'zod';
import { didYouMean } from '../did-you-mean.js';
import { issue, nonEmptyString, optional, rejectBoth, stringList, stringMap } from './common.js';
import { checkUnit, durationSchema, unitSchema } from './duration.js';

/** `setWeight: 25` is shorthand for `setWeight: {weight: 25}`. */
const weight = z.number().min(0).max(100);
const setWeightSchema = z.union([weight, z.object({ weight })], { error: 'expected a number or {weight: N}' });

const rolesSchema = z.union([z.string(), stringList], { error: 'expected a list of role names' });

const pauseSchema = z
  .object({
    duration: optional(z.number().nonnegative()),
    unit: optional(unitSchema),
    units: optional(unitSchema),
    untilApproved: optional(z.boolean()),
    requiresRoles: optional(rolesSchema),
    requiresRole: optional(rolesSchema),
    approvalExpiration: optional(durationSchema),
    approvalDuration: optional(durationSchema),
  })
  .superRefine((value, ctx) => {
    rejectBoth(ctx, value, 'requiresRoles', 'requiresRole');
    rejectBoth(ctx, value, 'approvalExpiration', 'approvalDuration');
    const timed = value.duration !== undefined && value.duration !== null;
    checkUnit(ctx, value, timed);
    const unit = value.unit ?? value.units;
    const hasDuration = timed && unit !== 'none';
    if (hasDuration && value.untilApproved) {
      issue(ctx, [], 'invalid_step', 'a pause takes either duration and unit, or untilApproved: true, not both');
    } else if (!hasDuration && !value.untilApproved) {
      issue(ctx, [], 'invalid_step', 'a pause needs duration and unit, or untilApproved: true');
    }
  });

const analysisStepSchema = z
  .object({
    metricProviderName: optional(nonEmptyString),
    context: optional(stringMap),
    interval: z.number().positive(),
    units: optional(unitSchema),
    unit: optional(unitSchema),
    numberOfJudgmentRuns: optional(z.number().int().min(1)),
    rollBackMode: optional(z.enum(['automatic', 'manual'])),
    rollForwardMode: optional(z.enum(['automatic', 'manual'])),
    lookbackMethod: optional(z.enum(['growing', 'sliding'])),
    abortOnFailedJudgment: optional(z.boolean()),
    queries: z.array(nonEmptyString).min(1),
    judge: optional(z.enum(['threshold', 'mannWhitney'])),
    noData: optional(z.enum(['fail', 'pass', 'pause'])),
  })
  .superRefine((value, ctx) => {
    const units = value.units ?? undefined;
    const unit = value.unit ?? undefined;
    if (units !== undefined && unit !== undefined && units !== unit) {
      issue(ctx, ['unit'], 'conflicting_keys', `"units" is ${units} but "unit" is ${unit}; give only one`);
    }
    const chosen = units ?? unit;
    if (chosen === undefined) issue(ctx, ['units'], 'missing_key', 'required key "units" is missing');
    else if (chosen === 'none') {
      issue(ctx, [units ? 'units' : 'unit'], 'invalid_value', 'the analysis interval needs a unit: seconds, minutes or hours');
    }
  });

const runWebhookSchema = z.object({ name: nonEmptyString, context: optional(stringMap) });

const exposeServicesSchema = z.object({
  services: z.array(nonEmptyString).min(1),
  ttl: optional(durationSchema),
});

/** [ext] a step kind contributed by a plugin. */
const customStepSchema = z.object({ kind: nonEmptyString, config: z.unknown().optional() });

const STEP_SCHEMAS = {
  setWeight: setWeightSchema,
  pause: pauseSchema,
  analysis: analysisStepSchema,
  runWebhook: runWebhookSchema,
  exposeServices: exposeServicesSchema,
  custom: customStepSchema,
} as const;

export type StepKindName = keyof typeof STEP_SCHEMAS;
const STEP_KINDS = Object.keys(STEP_SCHEMAS) as StepKindName[];

/**
 * A step is a one-key map (`- pause: {...}`). Loose, so that a misspelled step key reaches
 * the refinement and becomes an error with a suggestion instead of a silent no-op.
 */
function stepSchema(allowed: readonly StepKindName[], where: string) {
  return z
    .looseObject({
      setWeight: STEP_SCHEMAS.setWeight.optional(),
      pause: STEP_SCHEMAS.pause.optional(),
      analysis: STEP_SCHEMAS.analysis.optional(),
      runWebhook: STEP_SCHEMAS.runWebhook.optional(),
      exposeServices: STEP_SCHEMAS.exposeServices.optional(),
      custom: STEP_SCHEMAS.custom.optional(),
    })
    .superRefine((value, ctx) => {
      const keys = Object.keys(value);
      const present = STEP_KINDS.filter((kind) => value[kind] !== undefined);
      const expected = allowed.join(', ');
      if (present.length === 0) {
        const unknown = keys[0];
        if (unknown === undefined) issue(ctx, [], 'invalid_step', `empty step (expected one of ${expected})`);
        else
          issue(ctx, [unknown], 'invalid_step', `unknown step "${unknown}" (expected one of ${expected})${didYouMean(unknown, allowed)}`);
        return;
      }
      if (present.length > 1) {
        issue(ctx, [], 'invalid_step', `a step has exactly one kind, found ${present.join(' and ')}; write them as separate list items`);
      }
      for (const kind of present) {
        if (!allowed.includes(kind)) issue(ctx, [kind], 'invalid_step', `${kind} is not allowed in ${where} (allowed: ${expected})`);
      }
    });
}

export const canaryStepSchema = stepSchema(STEP_KINDS, 'canary steps');
export const constraintStepSchema = stepSchema(['pause', 'runWebhook', 'analysis', 'custom'], 'constraints');
export const blueGreenStepSchema = stepSchema(['pause', 'exposeServices', 'runWebhook', 'analysis', 'custom'], 'blue/green steps');

export type RawStep = z.infer<typeof canaryStepSchema>;
export type RawPause = z.infer<typeof pauseSchema>;
export type RawAnalysisStep = z.infer<typeof analysisStepSchema>;
