import * as z from 'zod';

/** A custom zod issue tagged with one of Ferry's diagnostic codes. */
export function issue(ctx: z.RefinementCtx, path: Array<string | number>, code: string, message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: { ferryCode: code } });
}

/** Optional keys also accept an explicit `null` (`context:` with nothing after it). */
export function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish();
}

export const nonEmptyString = z.string().min(1);

/** Scalars are accepted where strings are expected in maps of user values (`commit: 123`). */
const scalarAsString = z
  .union([z.string(), z.number(), z.boolean()], { error: 'expected a string' })
  .transform((value) => String(value));

export const stringMap = z.record(z.string(), scalarAsString);

export const stringList = z.array(z.string());

/** The two spellings of one key (a tolerance rule) must not both be given. */
export function rejectBoth(ctx: z.RefinementCtx, value: Record<string, unknown>, preferred: string, alias: string): void {
  if (value[preferred] !== undefined && value[preferred] !== null && value[alias] !== undefined && value[alias] !== null) {
    issue(ctx, [alias], 'conflicting_keys', `"${alias}" and "${preferred}" mean the same thing; give only one`);
  }
}
