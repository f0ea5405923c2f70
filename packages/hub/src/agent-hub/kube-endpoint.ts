import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { FerryError, httpStatusOf } from '@ferry/core';
import type { Relay } from './relay-types.js';
import { relayableHeaders } from './relay-types.js';

/*
 * Why a loopback endpoint: `@kubernetes/client-node` talks to whatever `server` its
 * KubeConfig names, through its own fetch and agent (and its Watch streams the response
 * body line by line). Giving it a plain HTTP server on 127.0.0.1 that forwards every request
 * over the relay keeps every client-node feature working unchanged, watches included,
 * without depending on client-node's internals (which changed completely between 0.x and
 * 1.x). Each agent gets its own unguessable bearer token, which client-node sends on every
 * request; the hub strips it before relaying and the agent adds its ServiceAccount's.
 */
export class KubeRelayEndpoint {
  readonly #server: Server;
  readonly #relay: Relay;
  readonly #routes = new Map<string, { tenant: string; identifier: string }>();
  readonly #tokens = new Map<string, string>();

  private constructor(relay: Relay) {
    this.#relay = relay;
    this.#server = createServer((req, res) => void this.#handle(req, res));
    // Watches stay open for minutes: no idle timeouts on this side.
    this.#server.requestTimeout = 0;
    this.#server.headersTimeout = 60_000;
    this.#server.keepAliveTimeout = 60_000;
  }

  static async start(relay: Relay): Promise<KubeRelayEndpoint> {
    const endpoint = new KubeRelayEndpoint(relay);
    await new Promise<void>((resolve, reject) => {
      endpoint.#server.once('error', reject);
      endpoint.#server.listen(0, '127.0.0.1', () => resolve());
    });
    return endpoint;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The bearer token that reaches one agent's cluster through this endpoint. */
  tokenFor(tenant: string, identifier: string): string {
    const key = `${tenant}\u0000${identifier}`;
    let token = this.#tokens.get(key);
    if (!token) {
      token = randomBytes(32).toString('base64url');
      this.#tokens.set(key, token);
      this.#routes.set(token, { tenant, identifier });
    }
    return token;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #route(req: IncomingMessage): { tenant: string; identifier: string } | undefined {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return undefined;
    for (const [known, route] of this.#routes) {
      if (known.length === token.length && timingSafeEqual(Buffer.from(known), Buffer.from(token))) return route;
    }
    return undefined;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = this.#route(req);
    if (!route) return kubeStatus(res, 401, 'Unauthorized', 'unknown relay token');
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('the client closed the connection'));
    });
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    try {
      const response = await this.#relay.open(
        route.tenant,
        route.identifier,
        {
          method: req.method ?? 'GET',
          destination: { clusterPath: req.url ?? '/' },
          headers: withLength(relayableHeaders(Object.entries(req.headers)), req.headers['content-length']),
          ...(hasBody ? { body: req } : {}),
        },
        abort.signal,
      );
      const headers = relayableHeaders(response.headers);
      const length = response.headers.find(([name]) => name.toLowerCase() === 'content-length');
      if (length) headers.push(['content-length', length[1]]);
      res.writeHead(response.status, headers.flat());
      res.flushHeaders();
      await pipeline(response.body, res);
    } catch (error) {
      if (abort.signal.aborted) return;
      if (!res.headersSent) {
        const status = error instanceof FerryError ? httpStatusOf(error) : 502;
        kubeStatus(res, status, status === 403 ? 'Forbidden' : 'ServiceUnavailable', (error as Error).message);
      } else res.destroy();
    }
  }
}

function withLength(headers: Array<[string, string]>, length: string | undefined): Array<[string, string]> {
  return length === undefined ? headers : [...headers, ['content-length', length]];
}

/** Errors in the API server's own format, so client-node reports them like the cluster's. */
function kubeStatus(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}
