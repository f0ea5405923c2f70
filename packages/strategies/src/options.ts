import { z } from 'zod';

/** Options of the strategies that poll (readiness, traffic confirmation). */
export const pollingOptions = z.strictObject({
  /** How often a waiting step polls, in clock ms. */
  pollIntervalMs: z.number().int().positive().default(1000),
});
