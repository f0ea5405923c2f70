import { parsePluginOptions } from '@ferry/core';
import { Allowlist } from './allowlist.js';
import { loadClusterApi, type ClusterApi } from './cluster-api.js';
import { startHealthServer } from './health-server.js';
import { HubConnection, type AgentLogger, type ConnectionState } from './hub-connection.js';
import { createAgentMetrics } from './metrics.js';
import { agentOptionsSchema, type AgentOptions } from './options.js';
import { TokenSource } from './token-source.js';

export interface RemoteNetworkAgent {
  readonly instanceId: string;
  /** The port `/health/liveness` and `/metrics` are served on. */
  readonly healthPort: number;
  readonly state: ConnectionState;
  /** The hub replica holding the stream, once connected. */
  readonly hubReplica: string | undefined;
  /** Resolves when the agent holds a registered stream (at once if it does). */
  connected(timeoutMs?: number): Promise<void>;
  /** SIGTERM behaviour: no new requests, in-flight ones finish (up to the drain timeout), then stop. */
  drain(): Promise<void>;
  /** Stops at once. */
  stop(): Promise<void>;
}

const silentLogger: AgentLogger = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * Starts a Remote Network Agent: it dials out to the hub and relays the hub's HTTP requests
 * to its cluster's API server and allowlisted hosts. It opens no port but its health port.
 */
export async function startAgent(options: AgentOptions & { logger?: AgentLogger; cluster?: ClusterApi }): Promise<RemoteNetworkAgent> {
  const { logger = silentLogger, cluster: givenCluster, ...rest } = options;
  const settings = parsePluginOptions('agent', agentOptionsSchema, rest);
  const cluster = givenCluster ?? loadClusterApi(settings.kube);
  const metrics = createAgentMetrics();
  const tokens = new TokenSource({ ...settings.auth, ...(settings.hub.caPem ? { caPem: settings.hub.caPem } : {}) });
  const connection = new HubConnection({ settings, tokens, cluster, allowlist: new Allowlist(settings.allowedHosts), logger, metrics });
  const health = await startHealthServer({ host: settings.healthHost, port: settings.healthPort, metrics });
  const running = connection.run();

  const stopAll = async () => {
    await running;
    await health.close();
  };

  return {
    instanceId: connection.instanceId,
    healthPort: health.port,
    get state() {
      return connection.state;
    },
    get hubReplica() {
      return connection.hubReplica;
    },
    connected(timeoutMs = 30_000) {
      if (connection.state === 'connected') return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`the agent did not connect within ${timeoutMs} ms (state: ${connection.state})`));
        }, timeoutMs);
        const off = connection.onState((state) => {
          if (state !== 'connected') return;
          clearTimeout(timer);
          off();
          resolve();
        });
      });
    },
    async drain() {
      logger.info({ inFlight: connection.inFlight }, 'draining');
      await connection.drain(settings.drainTimeoutMs);
      await stopAll();
    },
    async stop() {
      connection.stop();
      await stopAll();
    },
  };
}
