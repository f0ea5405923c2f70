/** Shared setup of the Agent Hub tests: upstream servers, a TCP proxy, agents and raw gRPC clients. Not exported. */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, connect as tcpConnect, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { credentials, Metadata, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { startAgent, type ClusterApi, type RemoteNetworkAgent } from '@ferry/agent';
import { agentHubProto, type AgentMessage, type HubMessage__Output } from '@ferry/proto';
import type { TestIssuer, TestTls } from './test-support.js';

export interface Upstream {
  url: string;
  port: number;
  /** Requests seen, with the Authorization header each carried. */
  seen: Array<{ method: string; url: string; authorization: string | undefined }>;
  /** Requests whose client went away before the response ended. */
  abandoned: string[];
  close(): Promise<void>;
}

/** 1 MiB of deterministic bytes (so a relayed body can be compared byte for byte). */
export const BIG_BODY = Buffer.from(Array.from({ length: 1024 * 1024 }, (_, i) => (i * 7) % 256));

/** An in-network HTTP server (and fake API server): `/small`, `/big`, `/echo` (POST), `/endless` (never ends), `/broken` (resets mid-body), anything else echoes the path as JSON. */
export async function startUpstream(): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const abandoned: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    res.on('close', () => {
      if (!res.writableFinished) abandoned.push(req.url ?? '');
    });
    if (req.url === '/small') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(1024));
    if (req.url === '/big') return void res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BIG_BODY.length }).end(BIG_BODY);
    if (req.url === '/echo') {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => {
        const body = Buffer.concat(parts);
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ length: body.length, sha256: createHash('sha256').update(body).digest('hex'), contentType: req.headers['content-type'] }));
      });
      return;
    }
    if (req.url?.startsWith('/api/v1/namespaces/shop/configmaps')) {
      const items = [{ metadata: { name: 'settings', namespace: 'shop', labels: { app: 'web' } }, data: { color: 'blue' } }];
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items }));
    }
    if (req.url === '/broken') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
      res.write('only the start', () => res.socket?.destroy());
      return;
    }
    if (req.url === '/endless') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('tick\n'), 20);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url, method: req.method }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    abandoned,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A ClusterApi for a fake API server: plain HTTP, the agent's "ServiceAccount token" added per request. */
export function fakeClusterApi(upstream: Upstream, token = 'service-account-token'): ClusterApi {
  return {
    server: upstream.url,
    async authorize(options) {
      options.headers = { ...(options.headers as Record<string, string>), authorization: `Bearer ${token}` };
    },
  };
}

/**
 * A TCP proxy between agent and hub. `cut()` makes it go silent without closing anything
 * (a half-open connection, as when a NAT or firewall drops state); `restore()` resumes
 * forwarding for new connections. With several backends it forwards to the first that
 * accepts (a stand-in for a load balancer in front of hub replicas).
 */
export class TcpProxy {
  readonly #server: TcpServer;
  readonly #sockets = new Set<Socket>();
  #silent = false;
  backends: number[];

  private constructor(backends: number[]) {
    this.backends = backends;
    this.#server = createTcpServer((client) => this.#accept(client));
  }

  static async start(backends: number[]): Promise<TcpProxy> {
    const proxy = new TcpProxy(backends);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', () => resolve()));
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Stops forwarding: every byte in either direction is dropped, no connection is closed. */
  cut(): void {
    this.#silent = true;
  }

  restore(): void {
    this.#silent = false;
  }

  get connections(): number {
    return this.#sockets.size / 2;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket, index = 0): void {
    if (this.#silent) {
      // New connections hang too, like a dead network path.
      this.#track(client);
      client.on('data', () => undefined);
      return;
    }
    const port = this.backends[index];
    if (port === undefined) return void client.destroy();
    const backend = tcpConnect(port, '127.0.0.1');
    client.pause();
    let connected = false;
    backend.once('error', () => {
      if (!connected) this.#accept(client, index + 1);
    });
    backend.once('connect', () => {
      connected = true;
      this.#track(client);
      this.#track(backend);
      const forward = (from: Socket, to: Socket) => {
        from.on('data', (data: Buffer) => {
          if (!this.#silent) to.write(data);
        });
        from.on('close', () => {
          if (!this.#silent) to.destroy();
        });
        from.on('error', () => undefined);
      };
      forward(client, backend);
      forward(backend, client);
      client.resume();
    });
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => undefined);
  }
}

export interface AgentSetup {
  identifier: string;
  hubPort: number;
  tls: TestTls;
  issuer: TestIssuer;
  clientId: string;
  clientSecret: string;
  upstream: Upstream;
  allowedHosts?: string[];
}

export function startTestAgent(setup: AgentSetup): Promise<RemoteNetworkAgent> {
  return startAgent({
    identifier: setup.identifier,
    hub: { address: `127.0.0.1:${setup.hubPort}`, caPem: setup.tls.caPem },
    auth: { tokenUrl: setup.issuer.tokenUrl, clientId: setup.clientId, clientSecret: setup.clientSecret },
    cluster: fakeClusterApi(setup.upstream),
    allowedHosts: setup.allowedHosts ?? [`127.0.0.1:${setup.upstream.port}`],
    healthPort: 0,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    drainTimeoutMs: 5_000,
  });
}

/**
 * A bare Connect call with the given bearer token that registers as agent "raw"; answers how
 * the hub ended it. It sends no heartbeats unless `answerHeartbeats`, so a stream the hub
 * accepts ends as silent after three heartbeat intervals; with it, only what the test provokes
 * (token expiry, say) ends the stream.
 */
export async function rawConnect(
  hubPort: number,
  tls: TestTls,
  token: string | undefined,
  options: { answerHeartbeats?: boolean } = {},
): Promise<{ code: number; details: string; frames: HubMessage__Output[] }> {
  const client = new (agentHubProto().AgentHub)(`127.0.0.1:${hubPort}`, credentials.createSsl(Buffer.from(tls.caPem)));
  const metadata = new Metadata();
  if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
  const call: ClientDuplexStream<AgentMessage, HubMessage__Output> = client.connect(metadata);
  const frames: HubMessage__Output[] = [];
  call.on('data', (frame: HubMessage__Output) => {
    frames.push(frame);
    const inner = frame.kind === 'batch' ? frame.batch!.frames : [frame];
    if (options.answerHeartbeats && inner.some((f) => f.kind === 'heartbeat')) call.write({ heartbeat: { sentAtMs: Date.now(), inFlight: 0 } });
  });
  call.write({ register: { identifier: 'raw', instanceId: 'raw-1', version: 'test', requestWindow: 65536 } });
  try {
    // 'status' can come before buffered frames are read: answer once the stream has closed.
    return await new Promise((resolve) => {
      let outcome: { code: number; details: string } | undefined;
      let ended = false;
      const settle = () => {
        if (outcome && ended) resolve({ ...outcome, frames });
      };
      call.on('end', () => {
        ended = true;
        settle();
      });
      const onOutcome = (value: { code: number; details: string }) => {
        outcome ??= value;
        // A failed call may never emit 'end'.
        setTimeout(() => {
          ended = true;
          settle();
        }, 500);
        settle();
      };
      call.on('error', (error: ServiceError) => onOutcome({ code: error.code, details: error.details }));
      call.on('status', (status) => onOutcome({ code: status.code, details: status.details }));
    });
  } finally {
    call.cancel();
    client.close();
  }
}

export async function readAll(body: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part as string));
  return Buffer.concat(parts);
}
