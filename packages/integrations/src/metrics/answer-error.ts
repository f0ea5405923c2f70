import { FerryInputError } from '@ferry/core';
import type { HttpAnswer } from '../http/index.js';

/**
 * The error for a non-retryable answer (3xx/4xx): a FerryInputError carrying the HTTP status
 * and the provider's message. 401/403 get the code `metric_auth_failed` (the provider's
 * credentials are wrong; Ferry's own caller is not unauthorized), anything else
 * `metric_query_rejected`.
 */
export function answerError(label: string, answer: HttpAnswer, providerMessage: string, query?: string): FerryInputError {
  const auth = answer.status === 401 || answer.status === 403;
  const what = auth ? 'rejected the credentials' : 'rejected the query';
  const about = query !== undefined && !auth ? ` ${JSON.stringify(query)}` : '';
  return new FerryInputError(`${label}: ${what}${about} (HTTP ${answer.status}): ${providerMessage}`, {
    code: auth ? 'metric_auth_failed' : 'metric_query_rejected',
    details: { status: answer.status, providerMessage, ...(query !== undefined ? { query } : {}) },
  });
}

/** A FerryInputError about a query whose answer cannot be reduced to one number. */
export function shapeError(label: string, query: string, problem: string): FerryInputError {
  return new FerryInputError(`${label}: query ${JSON.stringify(query)} ${problem}`, {
    code: 'metric_query_shape',
    details: { query },
  });
}

/** The first `max` characters of a provider's answer, for error messages. */
export function snippet(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat || '(empty body)';
}
