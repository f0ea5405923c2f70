import { isAxiosError, type AxiosInstance } from 'axios';
import { FerryUnavailableError } from '@ferry/core';
import type { Redactor } from './redact.js';
import { backoffDelay, serverRequestedDelay, type BackoffPolicy } from './retry-delay.js';
import { sleep } from './sleep.js';

export interface SendPolicy extends BackoffPolicy {
  /** Attempts after the first. */
  retries: number;
  /** Per attempt. */
  timeoutMs: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  params?: Record<string, string | number>;
  body?: unknown;
}

export interface HttpAnswer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
}

export interface SendContext {
  client: AxiosInstance;
  policy: SendPolicy;
  /** Prefix of every error message, e.g. `prometheus "prom"`. */
  label: string;
  redact: Redactor;
  /** The provider's own error message in an answer, for error texts. */
  messageOf(answer: HttpAnswer): string;
  /** Why an otherwise successful answer is a transient failure worth retrying (e.g. a GraphQL timeout). */
  transientProblem?(answer: HttpAnswer): string | undefined;
}

interface Problem {
  text: string;
  status?: number;
  /** The server's requested wait, if any. */
  retryAfterMs?: number;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/**
 * Sends one request, retrying network errors, timeouts, 5xx and 429 with exponential
 * backoff and jitter; a server's Retry-After / X-RateLimit-Reset is honoured when it is
 * within `maxDelayMs`, and a longer requested wait fails at once. Other answers (2xx, 3xx,
 * 4xx) are returned for the caller to interpret. Aborting the signal rejects with its reason.
 */
export async function send(ctx: SendContext, request: HttpRequest, signal: AbortSignal): Promise<HttpAnswer> {
  const { policy } = ctx;
  let last: Problem = { text: 'no attempt made' };
  const attempts = policy.retries + 1;
  for (let attempt = 0; attempt < attempts; attempt++) {
    signal.throwIfAborted();
    const outcome = await attemptOnce(ctx, request, signal);
    if ('answer' in outcome) return outcome.answer;
    last = outcome.problem;
    if (attempt === attempts - 1) break;
    let delay = backoffDelay(attempt, policy);
    if (last.retryAfterMs !== undefined) {
      if (last.retryAfterMs > policy.maxDelayMs) {
        throw unavailable(ctx, `${last.text}; the server asks to wait ${Math.ceil(last.retryAfterMs / 1000)} s, longer than the ${Math.ceil(policy.maxDelayMs / 1000)} s allowed`, last, attempt + 1);
      }
      delay = Math.max(last.retryAfterMs, 0);
    }
    await sleep(delay, signal);
  }
  throw unavailable(ctx, last.text, last, attempts);
}

async function attemptOnce(ctx: SendContext, request: HttpRequest, signal: AbortSignal): Promise<{ answer: HttpAnswer } | { problem: Problem }> {
  let answer: HttpAnswer;
  try {
    const response = await ctx.client.request<string>({
      method: request.method,
      url: request.path,
      ...(request.params ? { params: request.params } : {}),
      ...(request.body !== undefined ? { data: request.body, headers: { 'Content-Type': 'application/json' } } : {}),
      timeout: ctx.policy.timeoutMs,
      signal,
    });
    const text = typeof response.data === 'string' ? response.data : String(response.data ?? '');
    answer = { status: response.status, headers: lowerCaseHeaders(response.headers), text, json: parseJson(text) };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    return { problem: networkProblem(ctx, error) };
  }
  if (answer.status === 429 || answer.status >= 500) {
    const retryAfterMs = serverRequestedDelay(answer.headers);
    const what = answer.status === 429 ? 'rate limited' : 'server error';
    return {
      problem: {
        text: ctx.redact(`${what} (HTTP ${answer.status}): ${ctx.messageOf(answer)}`),
        status: answer.status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
    };
  }
  const transient = answer.status < 300 ? ctx.transientProblem?.(answer) : undefined;
  if (transient !== undefined) return { problem: { text: ctx.redact(transient), status: answer.status } };
  return { answer };
}

function networkProblem(ctx: SendContext, error: unknown): Problem {
  // Only the code and message are kept: an AxiosError carries the request config, headers
  // (API keys) included, so it is never attached as a cause.
  const code = isAxiosError(error) ? error.code : (error as { code?: string } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return { text: `timed out after ${ctx.policy.timeoutMs} ms` };
  }
  if (code && TLS_CODES.has(code)) {
    throw new FerryUnavailableError(`${ctx.label}: TLS failure (${code}): ${ctx.redact(message)}`, {
      code: 'metric_provider_tls',
      details: { errorCode: code },
    });
  }
  return { text: ctx.redact(code ? `${code}: ${message}` : message) };
}

function unavailable(ctx: SendContext, text: string, problem: Problem, attempts: number): FerryUnavailableError {
  return new FerryUnavailableError(`${ctx.label}: unavailable after ${attempts} attempt(s): ${text}`, {
    code: 'metric_provider_unavailable',
    details: {
      attempts,
      ...(problem.status !== undefined ? { status: problem.status } : {}),
      ...(problem.retryAfterMs !== undefined ? { retryAfterMs: problem.retryAfterMs } : {}),
    },
  });
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers && typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
      if (value === undefined || value === null) continue;
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
