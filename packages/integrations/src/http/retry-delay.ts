/** How long to wait between attempts. */
export interface BackoffPolicy {
  /** First delay; doubled each attempt. */
  baseDelayMs: number;
  /** Upper bound for a computed delay and for a server's Retry-After / rate-limit reset. */
  maxDelayMs: number;
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/**
 * The wait a server asked for, in ms: `Retry-After` (seconds or an HTTP date), else
 * `X-RateLimit-Reset` (seconds until the limit resets, as Datadog sends it). Undefined when
 * neither header is present or parseable.
 */
export function serverRequestedDelay(headers: Record<string, string>, now: number = Date.now()): number | undefined {
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = headers['x-ratelimit-reset']?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const seconds = Number(reset);
    // A value this large is an epoch timestamp rather than a countdown.
    if (seconds > 1_000_000_000) return Math.max(0, seconds * 1000 - now);
    return Math.ceil(seconds * 1000);
  }
  return undefined;
}
