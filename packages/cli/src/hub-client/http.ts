import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  FerryConflictError,
  type FerryError,
  FerryForbiddenError,
  FerryInputError,
  FerryNotFoundError,
  FerryUnauthenticatedError,
  FerryUnavailableError,
} from '@ferry/core';

export interface HttpTarget {
  /** The hub's base URL, e.g. https://127.0.0.1:8443. */
  baseUrl: string;
  /** PEM of a CA to trust besides the system's (the hub's local CA). */
  ca?: string;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
}

export interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export function readCa(caFile: string | undefined): string | undefined {
  if (!caFile) return undefined;
  try {
    return readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new FerryInputError(`cannot read the CA file ${caFile}: ${(error as Error).message}`, { code: 'invalid_ca_file' });
  }
}

/**
 * One HTTP(S) request with node's own client: Node's global fetch cannot take a custom CA
 * without a second copy of undici, and the hub's local CA is the default setup.
 */
export function send(target: HttpTarget, path: string, init: RequestInit = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = open(target, path, init, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', (error) => reject(unreachable(target, error)));
    request.end(init.body);
  });
}

/** A request whose response body is read as a stream (server-sent events). */
export function openStream(target: HttpTarget, path: string, init: RequestInit = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = open(target, path, init, resolve);
    request.on('error', (error) => reject(unreachable(target, error)));
    request.end(init.body);
  });
}

function open(target: HttpTarget, path: string, init: RequestInit, onResponse: (response: IncomingMessage) => void) {
  const url = new URL(path, target.baseUrl.endsWith('/') ? target.baseUrl : `${target.baseUrl}/`);
  const options = {
    method: init.method ?? 'GET',
    headers: { accept: 'application/json', ...init.headers },
    ...(init.signal ? { signal: init.signal } : {}),
  };
  if (url.protocol === 'https:') return httpsRequest(url, { ...options, ...(target.ca ? { ca: target.ca } : {}) }, onResponse);
  if (url.protocol === 'http:') return httpRequest(url, options, onResponse);
  throw new FerryInputError(`the hub URL must be http(s), got ${target.baseUrl}`, { code: 'invalid_hub_url' });
}

function unreachable(target: HttpTarget, error: Error): Error {
  if (error.name === 'AbortError') return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const tlsHint = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) ? ' (trust the hub\'s CA with --ca-file or FERRY_CA_FILE)' : '';
  return new FerryUnavailableError(`cannot reach the hub at ${target.baseUrl}: ${error.message}${tlsHint}`, { code: 'hub_unreachable', cause: error });
}

/** The hub's error body `{error_id, errors:[{message, code}]}` as the matching FerryError. */
export function errorFromAnswer(answer: HttpAnswer, what: string): FerryError {
  let message = `${what}: HTTP ${answer.status}`;
  let code = `http_${answer.status}`;
  try {
    const body = JSON.parse(answer.text) as { errors?: Array<{ message?: string; code?: string }>; error?: string; error_description?: string };
    const first = body.errors?.[0];
    if (first?.message) message = first.message;
    if (first?.code) code = first.code;
    if (!first && body.error) message = `${what}: ${body.error}${body.error_description ? ` (${body.error_description})` : ''}`;
  } catch {
    // Not JSON: keep the status line.
  }
  switch (answer.status) {
    case 400:
    case 422:
      return new FerryInputError(message, { code });
    case 401:
      return new FerryUnauthenticatedError(`${message} (run ferry login, or set FERRY_CLIENT_ID and FERRY_CLIENT_SECRET)`, { code });
    case 403:
      return new FerryForbiddenError(message, { code });
    case 404:
      return new FerryNotFoundError(message, { code });
    case 409:
      return new FerryConflictError(message, { code });
    default:
      return new FerryUnavailableError(message, { code });
  }
}
