import { z } from 'zod';
import type { SendPolicy } from '../http/index.js';

/** Options every metric provider accepts. */
export const commonOptions = {
  /** The name deploy files put in `metricProviderName`. */
  name: z.string().min(1),
  /** Per-attempt timeout; default 30 s. */
  timeoutMs: z.number().int().positive().default(30_000),
  /** Attempts after the first on network errors, timeouts, 5xx and 429; default 3. */
  retries: z.number().int().min(0).max(10).default(3),
  /** Backoff: first delay (doubled per attempt, with jitter) and the cap, which also bounds a server's Retry-After. */
  backoff: z
    .object({
      baseDelayMs: z.number().int().min(0).default(500),
      maxDelayMs: z.number().int().min(0).default(30_000),
    })
    .strict()
    .default({ baseDelayMs: 500, maxDelayMs: 30_000 }),
};

export function sendPolicy(options: {
  timeoutMs: number;
  retries: number;
  backoff: { baseDelayMs: number; maxDelayMs: number };
}): SendPolicy {
  return { timeoutMs: options.timeoutMs, retries: options.retries, ...options.backoff };
}
