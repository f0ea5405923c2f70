import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpRequestV1, HttpResponseV1, HttpTransportV1 } from '@ferry/core';

export interface RetryPolicy {
  /** Retries after the first attempt (the webhook's `retryCount`). */
  retries: number;
  /** Before the first retry; doubled for each further one, capped at 30 s. */
  baseDelayMs: number;
  /** Per attempt. */
  timeoutMs: number;
}

export type SendResult = { ok: true; response: HttpResponseV1; attempts: number } | { ok: false; problem: string; attempts: number };

/**
 * Sends, retrying network errors and 5xx answers with exponential backoff. Any other
 * answer (2xx, 4xx) is final. The caller's abort stops everything at once; a timed-out
 * attempt counts as a network error.
 */
export async function sendWithRetries(transport: HttpTransportV1, request: HttpRequestV1, policy: RetryPolicy, signal: AbortSignal): Promise<SendResult> {
  let problem = '';
  const attempts = policy.retries + 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(Math.min(30_000, policy.baseDelayMs * 2 ** (attempt - 2)), undefined, { signal });
    signal.throwIfAborted();
    try {
      const response = await transport.send(request, { signal: AbortSignal.any([signal, AbortSignal.timeout(policy.timeoutMs)]) });
      if (response.status < 500) return { ok: true, response, attempts: attempt };
      problem = `answered HTTP ${response.status}`;
    } catch (error) {
      signal.throwIfAborted();
      problem = isTimeout(error) ? `timed out after ${policy.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
    }
  }
  return { ok: false, problem, attempts };
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || (error.cause instanceof Error && error.cause.name === 'TimeoutError'));
}
