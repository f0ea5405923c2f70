import type { Readable } from 'node:stream';

/** Where a relayed request goes: the agent's own cluster API, or an allowlisted URL. */
export type RelayDestination = { clusterPath: string } | { url: string };

export interface RelayRequest {
  method: string;
  destination: RelayDestination;
  headers: Array<[string, string]>;
  /** Streamed under the agent's per-request window; absent for bodiless requests. */
  body?: AsyncIterable<Buffer | Uint8Array | string> | Buffer;
}

export interface RelayResponse {
  status: number;
  headers: Array<[string, string]>;
  /** Reading it grants the agent credit; destroying it cancels the request at the agent. */
  body: Readable;
}

/** Opens relayed requests to one agent identifier of one tenant, wherever its stream is held. */
export interface Relay {
  open(tenant: string, identifier: string, request: RelayRequest, signal?: AbortSignal): Promise<RelayResponse>;
}

/** Hop-by-hop headers never cross the relay (RFC 9110 §7.6.1), nor the caller's credentials. */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
  'authorization',
]);

export function relayableHeaders(headers: Iterable<[string, string | string[] | undefined]>, keepAuthorization = false): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (value === undefined || (DROPPED.has(lower) && !(keepAuthorization && lower === 'authorization'))) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push([lower, v]);
  }
  return out;
}
