import type { EventEmitter } from 'node:events';
import type { KubeConfig } from '@kubernetes/client-node';
import { Server, ServerCredentials, type ServerDuplexStream } from '@grpc/grpc-js';
import { FerryUnavailableError, parsePluginOptions, type ClusterConnectorV1, type HttpTransportV1 } from '@ferry/core';
import { agentHubService, type AgentMessage__Output, type HubMessage } from '@ferry/proto';
import { handleConnect, type LiveStream } from './connect-handler.js';
import { requireAgentHubGrant } from './grants.js';
import { KubeRelayEndpoint } from './kube-endpoint.js';
import { agentKey, LocalRegistry } from './local-registry.js';
import { NatsRelay, type AgentEvent } from './nats-relay.js';
import { agentHubSettings, type AgentHubLogger, type AgentHubOptions } from './options.js';
import { relayConnector, relayKubeConfig } from './relay-connector.js';
import type { Relay, RelayRequest, RelayResponse } from './relay-types.js';
import { relayHttpTransport } from './http-transport.js';
import type { AgentSession } from './session.js';

/** A connected agent stream as the registry lists it. */
export interface ConnectedAgent {
  tenant: string;
  identifier: string;
  instanceId: string;
  version: string;
  address: string;
  connectedAt: number;
  lastHeartbeatAt: number;
  clusterAccount: boolean;
  clusterRole: boolean;
  draining: boolean;
  inFlight: number;
  /** What the agent reported about its cluster (cached until it disconnects). */
  info: Record<string, string>;
}

export interface AgentHub extends Relay {
  /** The gRPC port agents dial (TLS). */
  readonly port: number;
  /** The engine's cluster connector for `agent` targets. */
  readonly connector: ClusterConnectorV1;
  /** Outgoing HTTP through one agent (metric providers, webhooks). */
  httpTransport(tenant: string, agentIdentifier: string): HttpTransportV1;
  /** For the webhooks plugin's `agentTransports` option: the tenant's agents by identifier. */
  agentTransports(tenant: string): { get(agentIdentifier: string): HttpTransportV1 | undefined };
  /** A KubeConfig reaching one agent's cluster through the relay (client-node, kubectl-like tools). */
  kubeConfig(tenant: string, agentIdentifier: string): KubeConfig;
  /** Agent streams held by this replica. */
  connected(tenant?: string): ConnectedAgent[];
  /**
   * Loads a tenant's `agent` targets into the connector's synchronous `handles` cache (call it
   * at start for each tenant, so targets of agents not yet reconnected are recognized and
   * fail as "agent unavailable" rather than "unknown account").
   */
  rememberAgentTargets(tenant: string): Promise<void>;
  /** Whether any replica (this one, or another over NATS) holds a stream of the agent. */
  isConnected(tenant: string, agentIdentifier: string): boolean;
  /** Ends every agent stream (agents reconnect elsewhere) and stops listening. */
  close(): Promise<void>;
}

const silentLogger: AgentHubLogger = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * Starts the Agent Hub: a TLS gRPC server that agents dial out to, the registry of their
 * streams, and the relay that the engine's connector and HTTP transports use. With `nats`
 * several hub replicas form one relay: a request made on any replica reaches the agent
 * through the replica that holds its stream.
 */
export async function createAgentHub(options: AgentHubOptions): Promise<AgentHub> {
  const { verifier, agents, targets, tls, logger = silentLogger, now = Date.now, requireGrant, ...rest } = options;
  const settings = parsePluginOptions('agentHub', agentHubSettings, rest);
  const registry = new LocalRegistry();
  const live = new Set<LiveStream>();
  /** Replicas holding a stream, by agent key: the cache of what agents reported, invalidated on disconnect. */
  const remote = new Map<string, Set<string>>();
  const agentAccounts = new Set<string>();

  const nats = settings.nats
    ? await NatsRelay.connect({ servers: settings.nats.servers, prefix: settings.nats.subjectPrefix, registry, logger, name: settings.replicaName })
    : undefined;
  nats?.onEvent((event: AgentEvent) => {
    if (event.replica === settings.replicaName) return;
    const key = agentKey(event.tenant, event.identifier);
    const replicas = remote.get(key) ?? new Set<string>();
    if (event.type === 'connected') {
      replicas.add(event.replica);
      if (event.clusterAccount) agentAccounts.add(event.identifier);
    } else replicas.delete(event.replica);
    if (replicas.size > 0) remote.set(key, replicas);
    else remote.delete(key);
  });

  const event = (type: AgentEvent['type'], session: AgentSession): AgentEvent => ({
    type,
    tenant: session.info.tenant,
    identifier: session.info.identifier,
    clusterAccount: session.info.clusterAccount,
    replica: settings.replicaName,
  });

  const deps = {
    settings,
    verifier,
    requireGrant: (principal: Parameters<typeof requireAgentHubGrant>[0]) => (requireGrant ? requireGrant(principal, 'agentHub', 'write') : requireAgentHubGrant(principal)),
    registry,
    agents,
    targets,
    logger,
    now,
    onConnected(session: AgentSession) {
      if (session.info.clusterAccount) agentAccounts.add(session.info.identifier);
      nats?.serve(session.info.tenant, session.info.identifier);
      nats?.publishEvent(event('connected', session));
    },
    onDisconnected(session: AgentSession) {
      if (registry.has(session.info.tenant, session.info.identifier)) return;
      nats?.stopServing(session.info.tenant, session.info.identifier);
      nats?.publishEvent(event('disconnected', session));
    },
  };

  const server = new Server({
    // gRPC keepalive pings close a half-open TCP connection even when no frame is due.
    'grpc.keepalive_time_ms': 10_000,
    'grpc.keepalive_timeout_ms': 5_000,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 5_000,
    'grpc.max_receive_message_length': 4 * 1024 * 1024,
    // Channelz (gRPC's introspection service) is never served here; its per-connection trackers and traces cost memory with thousands of agents.
    'grpc.enable_channelz': 0,
  });
  widenFlowControlWindows(server);
  server.addService(agentHubService(), {
    Connect: (call: ServerDuplexStream<AgentMessage__Output, HubMessage>) => {
      handleConnect(call, deps, live).catch((error: unknown) => logger.error({ err: (error as Error).message }, 'agent stream failed'));
    },
  });
  const credentials = ServerCredentials.createSsl(null, [{ private_key: Buffer.from(tls.keyPem), cert_chain: Buffer.from(tls.certPem) }], false);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${settings.host}:${settings.port}`, credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  widenSessionWindows(server);

  // One sweep for every stream: heartbeats out, dead streams and expired tokens closed.
  const sweep = setInterval(() => {
    const at = now();
    for (const stream of live) {
      const { session } = stream;
      if (at >= stream.principal.expiresAt) {
        stream.end('its access token expired', { code: 'token_expired', message: 'the access token expired and no fresh one arrived' });
        continue;
      }
      if (at - session.lastSeenAt > 3 * settings.heartbeatIntervalMs) {
        logger.warn({ tenant: session.info.tenant, agent: session.info.identifier, silentMs: at - session.lastSeenAt }, 'agent stream silent: closing it');
        stream.end('its stream went silent (no heartbeat)');
        continue;
      }
      session.heartbeat(at);
      if (at - stream.heartbeatPersistedAt >= settings.heartbeatPersistIntervalMs) {
        stream.heartbeatPersistedAt = at;
        agents.heartbeat(session.info.tenant, session.info.identifier, session.info.instanceId, session.lastSeenAt).catch(() => undefined);
      }
    }
  }, settings.heartbeatIntervalMs);
  sweep.unref();

  const relay: Relay = {
    open(tenant: string, identifier: string, request: RelayRequest, signal?: AbortSignal): Promise<RelayResponse> {
      const session = registry.pick(tenant, identifier);
      if (session) return session.open(request, signal);
      if (nats) return nats.open(tenant, identifier, request, signal);
      return Promise.reject(
        new FerryUnavailableError(`Remote Network Agent "${identifier}" is not connected`, { code: 'agent_unavailable', details: { agent: identifier } }),
      );
    },
  };
  const endpoint = await KubeRelayEndpoint.start(relay);
  const connector = relayConnector({ targets, endpoint, knownAccounts: () => agentAccounts });
  const isConnected = (tenant: string, identifier: string) => registry.has(tenant, identifier) || remote.has(agentKey(tenant, identifier));

  return {
    port,
    connector,
    open: relay.open,
    httpTransport: (tenant, identifier) => relayHttpTransport(relay, tenant, identifier),
    agentTransports: (tenant) => ({
      get: (identifier) => (isConnected(tenant, identifier) ? relayHttpTransport(relay, tenant, identifier) : undefined),
    }),
    kubeConfig: (tenant, identifier) => relayKubeConfig(endpoint, tenant, identifier),
    connected: (tenant) =>
      registry
        .all()
        .filter((session) => tenant === undefined || session.info.tenant === tenant)
        .map((session) => ({
          tenant: session.info.tenant,
          identifier: session.info.identifier,
          instanceId: session.info.instanceId,
          version: session.info.version,
          address: session.info.address,
          connectedAt: session.info.connectedAt,
          lastHeartbeatAt: session.lastSeenAt,
          clusterAccount: session.info.clusterAccount,
          clusterRole: session.info.clusterRole,
          draining: session.draining,
          inFlight: session.inFlight,
          info: { ...session.info.info },
        })),
    isConnected,
    async rememberAgentTargets(tenant) {
      for (const target of await targets.list(tenant)) if (target.kind === 'agent') agentAccounts.add(target.name);
    },
    async close() {
      clearInterval(sweep);
      for (const stream of [...live]) stream.end('the hub is shutting down', { code: 'hub_shutdown', message: 'the hub replica is shutting down; reconnect' });
      await endpoint.close();
      await nats?.close();
      // Agents end their side on Goodbye; one that does not is cut after a grace period.
      await Promise.race([new Promise<void>((resolve) => server.tryShutdown(() => resolve())), new Promise((resolve) => setTimeout(resolve, 2_000))]);
      server.forceShutdown();
    },
  };
}

/** HTTP/2 windows for the agent streams: the default 64 KiB caps each stream at 64 KiB per round trip. */
const HTTP2_WINDOW = 8 * 1024 * 1024;

/*
 * grpc-js lets clients set `grpc-node.flow_control_window` but offers no server option, so
 * the hub widens its HTTP/2 windows through the server's internals. Both touches are
 * guarded: if a grpc-js release renames them, the hub keeps working with default windows.
 */
function widenFlowControlWindows(server: Server): void {
  const internals = server as unknown as { commonServerOptions?: { settings?: Record<string, unknown> } };
  if (internals.commonServerOptions) internals.commonServerOptions.settings = { ...internals.commonServerOptions.settings, initialWindowSize: HTTP2_WINDOW };
}

function widenSessionWindows(server: Server): void {
  const internals = server as unknown as { http2Servers?: Map<EventEmitter, unknown> };
  for (const http2Server of internals.http2Servers?.keys() ?? []) {
    http2Server.on('session', (session: { setLocalWindowSize?(size: number): void }) => {
      try {
        session.setLocalWindowSize?.(HTTP2_WINDOW);
      } catch {
        // keep the default window
      }
    });
  }
}
