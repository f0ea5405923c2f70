import type { HttpTransportV1 } from '@ferry/core';
import type { Relay } from './relay-types.js';
import { relayableHeaders } from './relay-types.js';

/**
 * Outgoing HTTP for metric providers and webhooks with `networkMode: remoteNetworkAgent`:
 * sent by the agent from inside its network, to hosts its allowlist names. The request's
 * own Authorization header (an API key for Prometheus, say) is kept: it is the caller's.
 */
export function relayHttpTransport(relay: Relay, tenant: string, identifier: string): HttpTransportV1 {
  return {
    specificationVersion: 'v1',
    kind: 'remoteNetworkAgent',
    async send(request, { signal }) {
      const body = request.body === undefined ? undefined : Buffer.from(request.body);
      const headers = relayableHeaders(Object.entries(request.headers), true);
      if (body) headers.push(['content-length', String(body.length)]);
      const response = await relay.open(tenant, identifier, { method: request.method, destination: { url: request.url }, headers, ...(body ? { body } : {}) }, signal);
      const parts: Buffer[] = [];
      for await (const part of response.body) parts.push(part as Buffer);
      const responseHeaders: Record<string, string> = {};
      for (const [name, value] of response.headers) responseHeaders[name] = responseHeaders[name] ? `${responseHeaders[name]}, ${value}` : value;
      return { status: response.status, headers: responseHeaders, body: Buffer.concat(parts).toString('utf8') };
    },
  };
}
