import * as z from 'zod';
import { issue, optional } from './common.js';

/** Units are case-insensitive; `none` marks a duration that does not apply. */
export const unitSchema = z
  .string()
  .transform((unit) => unit.toLowerCase())
  .pipe(z.enum(['seconds', 'minutes', 'hours', 'none']));

export type RawUnit = z.infer<typeof unitSchema>;

/** Picks `unit` or its alias `units`, reporting a conflict or a missing unit. */
export function checkUnit(
  ctx: z.RefinementCtx,
  value: { unit?: RawUnit | null; units?: RawUnit | null },
  needed: boolean,
): void {
  const unit = value.unit ?? undefined;
  const units = value.units ?? undefined;
  if (unit !== undefined && units !== undefined && unit !== units) {
    issue(ctx, ['units'], 'conflicting_keys', `"unit" is ${unit} but "units" is ${units}; give only one`);
  }
  if (needed && unit === undefined && units === undefined) {
    issue(ctx, ['unit'], 'missing_key', 'required key "unit" is missing');
  }
}

/** `{duration: 30, unit: minutes}` (`units` accepted too). */
export const durationSchema = z
  .object({
    duration: z.number().nonnegative(),
    unit: optional(unitSchema),
    units: optional(unitSchema),
  })
  .superRefine((value, ctx) => checkUnit(ctx, value, true));

export type RawDuration = z.infer<typeof durationSchema>;
