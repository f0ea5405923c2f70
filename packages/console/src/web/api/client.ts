import type { ApiErrorBody } from './types.js';

/** An answer from the hub other than 2xx: the status and its first message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** A raw streaming request (server-sent events). */
  stream(path: string, init: { signal: AbortSignal; headers?: Record<string, string> }): Promise<Response>;
}

/** fetch with the bearer token; a 401 calls `onUnauthenticated` (the token expired or was revoked). */
export function createApiClient(baseUrl: string, token: () => string | undefined, onUnauthenticated: () => void): ApiClient {
  const request = async (method: string, path: string, body?: unknown, signal?: AbortSignal, extra: Record<string, string> = {}) => {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), ...(signal ? { signal } : {}) });
    if (response.status === 401) onUnauthenticated();
    if (!response.ok) throw await apiErrorOf(response);
    return response;
  };
  return {
    async get<T>(path: string) {
      return (await (await request('GET', path)).json()) as T;
    },
    async send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) {
      const response = await request(method, path, body);
      if (response.status === 204) return undefined as T;
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
    stream(path, init) {
      return request('GET', path, undefined, init.signal, { accept: 'text/event-stream', ...init.headers });
    },
  };
}

export async function apiErrorOf(response: Response): Promise<ApiError> {
  let body: ApiErrorBody | undefined;
  try {
    body = (await response.json()) as ApiErrorBody;
  } catch {
    body = undefined;
  }
  const first = body?.errors?.[0];
  return new ApiError(response.status, first?.message ?? `The hub answered HTTP ${response.status}`, first?.code);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
