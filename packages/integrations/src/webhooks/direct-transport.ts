import { FerryUnavailableError, type HttpRequestV1, type HttpResponseV1, type HttpTransportV1 } from '@ferry/core';

/**
 * `networkMode: direct`: sends from this process with Node's fetch. A network failure
 * rejects with FerryUnavailableError naming only the failure's code: the URL may carry
 * secrets, so it never goes into an error.
 */
export function directTransport(): HttpTransportV1 {
  return {
    specificationVersion: 'v1',
    kind: 'direct',
    async send(request: HttpRequestV1, { signal }): Promise<HttpResponseV1> {
      let response: Response;
      try {
        response = await fetch(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
          signal,
          redirect: 'manual',
        });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw new FerryUnavailableError(`the request could not be sent (${networkCode(error)})`, { code: 'webhook_unreachable' });
      }
      const body = await response.text();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name] = value));
      return { status: response.status, headers, body };
    },
  };
}

/** undici wraps the socket error: `TypeError: fetch failed` with `cause.code` (ECONNREFUSED...). */
function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; name?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.name === 'string') return cause.name;
  return error instanceof Error ? error.name : 'network error';
}
