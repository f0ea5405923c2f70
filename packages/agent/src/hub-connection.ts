import { randomUUID } from 'node:crypto';
import { credentials as grpcCredentials, Metadata, status, type ClientDuplexStream } from '@grpc/grpc-js';
import { agentHubProto, DEFAULT_WINDOW, streamFrameBatcher, type AgentHubClient, type FrameBatcher, type AgentMessage, type HubMessage__Output } from '@ferry/proto';
import type { Allowlist } from './allowlist.js';
import type { ClusterApi } from './cluster-api.js';
import type { AgentMetrics } from './metrics.js';
import type { AgentSettings } from './options.js';
import { RelayExecutor } from './relay-executor.js';
import type { TokenSource } from './token-source.js';

export interface AgentLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export type ConnectionState = 'connecting' | 'connected' | 'backoff' | 'draining' | 'stopped';

const AGENT_VERSION = '0.1.0';

/**
 * Keeps one stream to the hub open: dial, register, heartbeats both ways, token refresh on
 * the stream, and after any break a reconnect with full-jitter exponential backoff.
 */
export class HubConnection {
  readonly instanceId = randomUUID();
  state: ConnectionState = 'connecting';
  /** The hub replica holding the stream (from `registered`). */
  hubReplica: string | undefined;
  readonly #settings: AgentSettings;
  readonly #tokens: TokenSource;
  readonly #logger: AgentLogger;
  readonly #metrics: AgentMetrics;
  readonly #executor: RelayExecutor;
  readonly #client: AgentHubClient;
  #call: ClientDuplexStream<AgentMessage, HubMessage__Output> | undefined;
  /** Frames for the current call; batched once the hub said it accepts batches. */
  #batcher: FrameBatcher<AgentMessage> | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;
  #listeners = new Set<(state: ConnectionState) => void>();

  constructor(options: { settings: AgentSettings; tokens: TokenSource; cluster: ClusterApi; allowlist: Allowlist; logger: AgentLogger; metrics: AgentMetrics }) {
    this.#settings = options.settings;
    this.#tokens = options.tokens;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#executor = new RelayExecutor({ send: (message) => this.#write(message), cluster: options.cluster, allowlist: options.allowlist, metrics: options.metrics });
    const hub = options.settings.hub;
    const channelOptions: Record<string, string | number> = {
      // gRPC pings notice a half-open connection even while no frame is due.
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.max_receive_message_length': 4 * 1024 * 1024,
      // Request bodies from the hub get the same wide HTTP/2 window the hub gives responses.
      'grpc-node.flow_control_window': 8 * 1024 * 1024,
      // The agent reconnects on its own schedule (jittered backoff) rather than gRPC's.
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 1_000,
    };
    if (hub.serverName) channelOptions['grpc.ssl_target_name_override'] = hub.serverName;
    const Client = agentHubProto().AgentHub;
    this.#client = new Client(hub.address, grpcCredentials.createSsl(hub.caPem ? Buffer.from(hub.caPem) : null), channelOptions);
  }

  get inFlight(): number {
    return this.#executor.inFlight;
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs until `stop()`: connects, and reconnects after every break. */
  async run(): Promise<void> {
    let attempt = 0;
    let refreshToken = false;
    while (!this.#stopped) {
      this.#setState('connecting');
      const outcome: { registered: boolean; reason: string; tokenRejected: boolean } = await this.#connectOnce(refreshToken).catch((error: unknown) => ({
        registered: false,
        reason: (error as Error).message,
        tokenRejected: false,
      }));
      this.#metrics.connected.set(0);
      this.#executor.abortAll();
      if (this.#stopped) break;
      refreshToken = outcome.tokenRejected;
      attempt = outcome.registered ? 1 : attempt + 1;
      const delay = backoff(attempt, this.#settings.reconnect.initialDelayMs, this.#settings.reconnect.maxDelayMs);
      this.#logger.warn({ reason: outcome.reason, retryInMs: delay, attempt }, 'hub stream lost; reconnecting');
      this.#metrics.reconnects.inc();
      this.#setState('backoff');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    this.#setState('stopped');
  }

  /**
   * Drains: tells the hub to send no new requests, waits for those in flight (up to the
   * timeout), then ends the stream.
   */
  async drain(timeoutMs: number): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    this.#setState('draining');
    this.#executor.draining = true;
    this.#write({ draining: { reason: 'the agent is shutting down' } });
    const deadline = Date.now() + timeoutMs;
    while (this.#executor.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    // Half-close and let the frames already written reach the hub before the call is torn down.
    const call = this.#call;
    if (call) {
      this.#batcher?.flush();
      call.end();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1_000, deadline - Date.now()));
        call.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.stop();
  }

  /** Stops at once: in-flight requests fail at the hub and are retried by their steps. */
  stop(): void {
    this.#stopped = true;
    this.#wake?.();
    this.#batcher?.clear();
    this.#call?.end();
    this.#call?.cancel();
    this.#executor.close();
    this.#client.close();
    this.#setState('stopped');
  }

  async #connectOnce(freshToken: boolean): Promise<{ registered: boolean; reason: string; tokenRejected: boolean }> {
    const token = await this.#tokens.get(freshToken);
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${token.value}`);
    const call = this.#client.connect(metadata);
    this.#call = call;
    const batcher = streamFrameBatcher<AgentMessage>(call);
    this.#batcher = batcher;
    let registered = false;
    let tokenRejected = false;
    let lastSeen = Date.now();
    let heartbeat: NodeJS.Timeout | undefined;
    let refresh: NodeJS.Timeout | undefined;

    const scheduleRefresh = (expiresAt: number) => {
      clearTimeout(refresh);
      // Refresh at 60% of the remaining lifetime: the hub never sees the token expire, even when slow to verify.
      const inMs = Math.max(1_000, (expiresAt - Date.now()) * 0.6);
      refresh = setTimeout(() => {
        this.#tokens
          .get(true)
          .then((fresh) => {
            this.#write({ tokenRefresh: { accessToken: fresh.value } });
            scheduleRefresh(fresh.expiresAt);
          })
          .catch((error: unknown) => {
            this.#logger.warn({ err: (error as Error).message }, 'token refresh failed; retrying');
            scheduleRefresh(Date.now() + 10_000);
          });
      }, inMs);
      refresh.unref();
    };

    const done = new Promise<{ registered: boolean; reason: string; tokenRejected: boolean }>((resolve) => {
      const finish = (reason: string) => {
        clearInterval(heartbeat);
        clearTimeout(refresh);
        resolve({ registered, reason, tokenRejected });
      };
      const onFrame = (message: HubMessage__Output): void => {
        switch (message.kind) {
          case 'batch':
            for (const frame of message.batch!.frames) onFrame(frame);
            return;
          case 'registered': {
            const info = message.registered!;
            registered = true;
            batcher.enabled = info.acceptsBatches;
            this.hubReplica = info.hubReplica;
            this.#metrics.connected.set(1);
            this.#setState('connected');
            this.#logger.info({ hubReplica: info.hubReplica, tenant: info.tenant, instance: this.instanceId }, 'connected to the hub');
            const interval = info.heartbeatIntervalMs || 2_000;
            heartbeat = setInterval(() => {
              if (Date.now() - lastSeen > 3 * interval) {
                this.#logger.warn({ silentMs: Date.now() - lastSeen }, 'the hub went silent; dropping the stream');
                call.cancel();
                return;
              }
              this.#write({ heartbeat: { sentAtMs: Date.now(), inFlight: this.#executor.inFlight } });
            }, interval);
            scheduleRefresh(token.expiresAt);
            return;
          }
          case 'goodbye':
            this.#logger.info({ code: message.goodbye!.code, message: message.goodbye!.message }, 'the hub is closing the stream');
            if (message.goodbye!.code === 'token_expired' || message.goodbye!.code === 'unauthenticated') tokenRejected = true;
            batcher.flush();
            call.end();
            return;
          case 'heartbeat':
            return;
          default:
            this.#executor.handle(message);
        }
      };
      call.on('data', (message: HubMessage__Output) => {
        lastSeen = Date.now();
        onFrame(message);
      });
      call.on('error', (error: Error & { code?: number; details?: string }) => {
        if (error.code === status.UNAUTHENTICATED || error.code === status.PERMISSION_DENIED) tokenRejected = true;
        finish(error.details || error.message);
      });
      call.on('end', () => finish('the hub ended the stream'));
      call.on('close', () => finish('the stream closed'));
    });

    call.write({
      register: {
        identifier: this.#settings.identifier,
        instanceId: this.instanceId,
        version: AGENT_VERSION,
        clusterAccount: this.#settings.clusterAccount,
        clusterRole: this.#settings.clusterRole,
        requestWindow: DEFAULT_WINDOW,
        info: { node: process.version },
        acceptsBatches: true,
      },
    });
    const outcome = await done;
    batcher.clear();
    this.#batcher = undefined;
    this.#call = undefined;
    call.cancel();
    return outcome;
  }

  #write(message: AgentMessage): void {
    const call = this.#call;
    if (!call || call.writableEnded) return;
    try {
      this.#batcher!.push(message);
    } catch {
      // the stream is closing; the reconnect path takes over
    }
  }

  #setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.#listeners) listener(state);
  }
}

/** Full jitter: a random delay up to the exponential ceiling, so a hub restart is not met by a thundering herd. */
export function backoff(attempt: number, initialMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(initialMs / 2 + random() * (ceiling - initialMs / 2));
}
