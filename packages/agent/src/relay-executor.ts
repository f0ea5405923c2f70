import type { RequestOptions } from 'node:https';
import { PassThrough } from 'node:stream';
import { CreditPump, DEFAULT_WINDOW, SendWindow, type AgentMessage, type HubMessage__Output, type RequestHead__Output } from '@ferry/proto';
import { Agent as HttpClient, type Dispatcher } from 'undici';
import type { Allowlist } from './allowlist.js';
import type { ClusterApi } from './cluster-api.js';
import type { AgentMetrics } from './metrics.js';

interface Exchange {
  /** Request-body bytes flow through here into the upstream request. */
  body: PassThrough | undefined;
  /** The HTTP client's handle on the request once it has started. */
  controller: Dispatcher.DispatchController | undefined;
  /** Whether the response head went to the hub (a later failure is then a reset, not unreachable). */
  responded: boolean;
  window: SendWindow;
  cancelled: boolean;
}

/** Headers that describe one hop, never forwarded (RFC 9110 §7.6.1); `expect` is the HTTP client's own business. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'expect']);

/** The TLS settings a kubeconfig gives for the cluster API (see ClusterApi.authorize). */
const TLS_KEYS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/**
 * Connection pools for upstream requests. Relayed requests may be watches that stay quiet for
 * minutes, so there are no header or body timeouts: the hub cancels what it no longer wants.
 */
function httpClient(tls?: Record<string, unknown>): HttpClient {
  return new HttpClient({ connections: 256, headersTimeout: 0, bodyTimeout: 0, ...(tls ? { connect: tls } : {}) });
}

/**
 * Performs the hub's relayed requests: against the cluster API with the agent's own
 * credentials, or against an allowlisted host. Logicless: it forwards bytes, it does not
 * interpret them. Each response body is sent under the window the hub granted.
 */
export class RelayExecutor {
  readonly #exchanges = new Map<number, Exchange>();
  readonly #send: (message: AgentMessage) => void;
  readonly #cluster: ClusterApi;
  readonly #allowlist: Allowlist;
  readonly #metrics: AgentMetrics;
  readonly #client = httpClient();
  /** A pool with the cluster's CA and client certificate; rebuilt when a kubeconfig rotates them. */
  #clusterClient: { tls: Record<string, unknown>; client: HttpClient } | undefined;
  draining = false;

  constructor(options: { send: (message: AgentMessage) => void; cluster: ClusterApi; allowlist: Allowlist; metrics: AgentMetrics }) {
    this.#send = options.send;
    this.#cluster = options.cluster;
    this.#allowlist = options.allowlist;
    this.#metrics = options.metrics;
  }

  get inFlight(): number {
    return this.#exchanges.size;
  }

  handle(message: HubMessage__Output): void {
    switch (message.kind) {
      case 'requestHead':
        this.#start(message.requestHead!);
        return;
      case 'requestBody': {
        const chunk = message.requestBody!;
        const exchange = this.#exchanges.get(chunk.requestId);
        // Credit goes back once the bytes moved on towards the upstream server.
        exchange?.body?.write(chunk.data, () => this.#send({ windowUpdate: { requestId: chunk.requestId, bytes: chunk.data.length } }));
        return;
      }
      case 'requestEnd':
        this.#exchanges.get(message.requestEnd!.requestId)?.body?.end();
        return;
      case 'cancel':
        this.#abort(message.cancel!.requestId);
        return;
      case 'windowUpdate': {
        const update = message.windowUpdate!;
        this.#exchanges.get(update.requestId)?.window.grant(update.bytes);
        return;
      }
      default:
        return;
    }
  }

  /** The stream broke: every upstream request stops (the hub has failed them already). */
  abortAll(): void {
    for (const id of [...this.#exchanges.keys()]) this.#abort(id);
  }

  close(): void {
    this.abortAll();
    void this.#client.destroy();
    void this.#clusterClient?.client.destroy();
  }

  #start(head: RequestHead__Output): void {
    const id = head.requestId;
    if (this.#exchanges.has(id)) return this.#fail(id, 'bad_request', `request id ${id} is already in use`);
    if (this.draining) return this.#fail(id, 'agent_draining', 'the agent is shutting down; send the request to another replica');
    const target = this.#resolve(head);
    if ('error' in target) {
      this.#metrics.requests.inc({ outcome: target.code });
      return this.#fail(id, target.code, target.error);
    }
    const exchange: Exchange = {
      body: head.hasBody ? new PassThrough() : undefined,
      controller: undefined,
      responded: false,
      window: new SendWindow(head.responseWindow || DEFAULT_WINDOW),
      cancelled: false,
    };
    this.#exchanges.set(id, exchange);
    this.#metrics.inFlight.inc();
    if (target.cluster) void this.#performOnCluster(id, head, target.url, exchange);
    else this.#dispatch(id, head, target.url, this.#client, requestHeaders(head, false), exchange, target.url.host);
  }

  #resolve(head: RequestHead__Output): { url: URL; cluster: boolean } | { error: string; code: string } {
    if (head.destination === 'clusterPath') {
      const path = head.clusterPath ?? '';
      if (!path.startsWith('/') || path.startsWith('//')) return { code: 'bad_request', error: `cluster path must start with a single "/": ${JSON.stringify(path.slice(0, 100))}` };
      return { url: new URL(`${this.#cluster.server}${path}`), cluster: true };
    }
    let url: URL;
    try {
      url = new URL(head.url ?? '');
    } catch {
      return { code: 'bad_request', error: 'the destination is not a valid URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { code: 'destination_not_allowed', error: `scheme ${url.protocol} is not relayed` };
    if (url.username || url.password) return { code: 'bad_request', error: 'credentials in the destination URL are not relayed; use a header' };
    if (!this.#allowlist.allows(url)) {
      return { code: 'destination_not_allowed', error: `destination ${url.host} is not in the agent's allowlist (allowed: ${this.#allowlist.describe()})` };
    }
    return { url, cluster: false };
  }

  /** Cluster requests carry the agent's own credentials (re-read per request: ServiceAccount tokens rotate). */
  async #performOnCluster(id: number, head: RequestHead__Output, url: URL, exchange: Exchange): Promise<void> {
    const options: RequestOptions = { headers: {} };
    try {
      await this.#cluster.authorize(options);
    } catch (error) {
      this.#finish(id);
      return this.#fail(id, 'upstream_unreachable', `cannot authorize to the cluster API: ${(error as Error).message}`);
    }
    if (exchange.cancelled) return;
    // The hub never sends credentials for the cluster: the agent's own are the only ones used.
    const headers = requestHeaders(head, true);
    for (const [name, value] of Object.entries((options.headers ?? {}) as Record<string, string | string[] | number | undefined>)) {
      if (value !== undefined) for (const v of Array.isArray(value) ? value : [value]) headers.push(name.toLowerCase(), String(v));
    }
    const client = url.protocol === 'https:' ? this.#clusterHttpClient(options) : this.#client;
    this.#dispatch(id, head, url, client, headers, exchange, 'cluster API');
  }

  #clusterHttpClient(options: RequestOptions): HttpClient {
    const tls: Record<string, unknown> = {};
    for (const key of TLS_KEYS) if (options[key] !== undefined) tls[key] = options[key];
    const cached = this.#clusterClient;
    if (cached && TLS_KEYS.every((key) => sameValue(cached.tls[key], tls[key]))) return cached.client;
    void cached?.client.close();
    this.#clusterClient = { tls, client: httpClient(tls) };
    return this.#clusterClient.client;
  }

  #dispatch(id: number, head: RequestHead__Output, url: URL, client: HttpClient, headers: string[], exchange: Exchange, upstreamName: string): void {
    let pump: CreditPump | undefined;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: (controller) => {
        exchange.controller = controller;
        if (exchange.cancelled) controller.abort(new Error('cancelled'));
      },
      onResponseStart: (controller, statusCode, responseHeaders) => {
        // 1xx informational heads are the HTTP client's business; the final head is relayed.
        if (statusCode < 200) return;
        exchange.responded = true;
        this.#send({ responseHead: { requestId: id, status: statusCode, headers: relayedHeaders(responseHeaders) } });
        pump = new CreditPump({
          window: exchange.window,
          send: (data) => this.#send({ responseBody: { requestId: id, data } }),
          source: controller,
          // The window closes only when the hub cancelled: #abort has stopped everything.
          onError: () => undefined,
        });
      },
      onResponseData: (_controller, chunk) => pump?.write(chunk),
      onResponseEnd: () => {
        void (pump?.drained() ?? Promise.resolve()).then(() => {
          if (exchange.cancelled || !this.#exchanges.has(id)) return;
          this.#finish(id);
          this.#metrics.requests.inc({ outcome: 'ok' });
          this.#send({ responseEnd: { requestId: id } });
        });
      },
      onResponseError: (_controller, error) => {
        if (exchange.cancelled || !this.#exchanges.has(id)) return;
        this.#finish(id);
        this.#metrics.requests.inc({ outcome: 'upstream_error' });
        const reason = errorText(error);
        if (exchange.responded) this.#fail(id, 'upstream_reset', `${upstreamName}: the response broke off: ${reason}`);
        else this.#fail(id, 'upstream_unreachable', `${upstreamName}: ${reason}`);
      },
    };
    try {
      client.dispatch({ origin: url.origin, path: `${url.pathname}${url.search}`, method: head.method as Dispatcher.HttpMethod, headers, body: exchange.body ?? null }, handler);
    } catch (error) {
      // The client refuses a malformed request (a header it cannot send, say) before sending anything.
      this.#finish(id);
      this.#metrics.requests.inc({ outcome: 'bad_request' });
      this.#fail(id, 'bad_request', `${upstreamName}: ${errorText(error)}`);
    }
  }

  #abort(id: number): void {
    const exchange = this.#exchanges.get(id);
    if (!exchange) return;
    exchange.cancelled = true;
    this.#finish(id);
    exchange.window.close('cancelled');
    exchange.body?.destroy();
    if (exchange.controller && !exchange.controller.aborted) exchange.controller.abort(new Error('cancelled by the hub'));
    this.#metrics.requests.inc({ outcome: 'cancelled' });
  }

  #finish(id: number): void {
    if (this.#exchanges.delete(id)) this.#metrics.inFlight.dec();
  }

  #fail(id: number, code: string, message: string): void {
    this.#send({ responseError: { requestId: id, code, message } });
  }
}

/** The hub's headers as the HTTP client takes them (a flat name, value list), minus hop-by-hop ones. */
function requestHeaders(head: RequestHead__Output, cluster: boolean): string[] {
  const headers: string[] = [];
  for (const { name, value } of head.headers) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || (cluster && lower === 'authorization')) continue;
    headers.push(lower, value);
  }
  return headers;
}

function relayedHeaders(headers: Record<string, string | string[] | undefined>): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower)) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push({ name: lower, value: v });
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  return a === b;
}

/** The message of an HTTP client error, with the system code (ECONNREFUSED…) that undici keeps on its cause. */
function errorText(error: unknown): string {
  const err = error as Error & { code?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? err.code;
  const message = err.cause?.message ?? err.message;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
