import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FerryUnavailableError, type FerryEngine, type StoreV1 } from '@ferry/core';
import { registerWebhookCallbackRoutes } from '@ferry/integrations/webhooks';
import { createPostgresStore, createSqliteStore } from '@ferry/store-sql';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createAgentHub, type AgentHub } from './agent-hub/index.js';
import { registerApi } from './api/index.js';
import { requireGrant } from './auth/index.js';
import type { ApiContext, HubRepositories, Identity } from './contracts.js';
import { openHubDatabase, type HubDatabase } from './db/index.js';
import { deferredEngine } from './engine-host/deferred-engine.js';
import { SqlPreviewRepository } from './db/previews.js';
import { createHostedEngine } from './engine-host/hosted-engine.js';
import { createPreviewLinks, registerPreviewRoute } from './preview/index.js';
import { tenantMetricProviders } from './engine-host/tenant-metric-providers.js';
import { integrationTester } from './engine-host/test-integration.js';
import { parseHubOptions, type HubOptions, type ResolvedHubOptions } from './options.js';
import { generateMasterKeyFile, loadMasterKey } from './secrets/index.js';
import { registerConsole } from './server/console-route.js';
import { createHubServer } from './server/create-server.js';
import { createHubLogger, engineLogger } from './server/logger.js';
import { createHubMetrics, type HubMetrics } from './server/metrics.js';
import { startIdentity, type StartedIdentity } from './server/identity-setup.js';
import { mountOidc } from './server/oidc-route.js';
import { resolveReplicaName } from './server/replica-name.js';
import { ensureLocalCa, loadProvidedTls, type TlsMaterial } from './server/tls.js';

export type { HubOptions } from './options.js';

export interface RunningHub {
  /** Where this process listens, e.g. `https://127.0.0.1:8443`. */
  readonly url: string;
  /** Where clients reach the hub (`options.publicUrl`, else `url`): issuer, links, webhook callbacks. */
  readonly publicUrl: string;
  /** The CA clients must trust (local CA, or the provided `caFile`); undefined for plain HTTP or a publicly trusted certificate. */
  readonly caCertPem?: string;
  /** Where that CA is on disk (`<dataDir>/tls/ca.pem` for the local CA). */
  readonly caFile?: string;
  /** The OIDC issuer (`<publicUrl>/oidc`). */
  readonly issuer: string;
  readonly engine: FerryEngine;
  readonly repositories: HubRepositories;
  /** The engine's lease owner. */
  readonly replicaName: string;
  readonly options: ResolvedHubOptions;
  readonly metrics: HubMetrics;
  readonly logger: Logger;
  /** The fastify server (routes are registered; for tests and the Agent Hub). */
  readonly server: FastifyInstance;
  /** Where Remote Network Agents connect (`host:port`, gRPC over TLS); absent when the Agent Hub is off. */
  readonly agentHubAddress?: string;
  /** The Agent Hub (connected agents, relay transports); absent when off. */
  readonly agentHub?: AgentHub;
  /**
   * Graceful: readiness answers 503, the server stops accepting and waits for in-flight
   * requests (bounded by `shutdownGraceMs`), then the engine releases its leases so
   * another replica takes the deployments at once, then the databases close.
   */
  close(): Promise<void>;
}

/** Starts a hub: database, vault, identity, engine and the HTTPS server. */
export async function startHub(input: HubOptions = {}): Promise<RunningHub> {
  const options = parseHubOptions(input);
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const logger = createHubLogger({ level: options.logLevel, ...(options.logger ? { destination: options.logger } : {}) });
  // Everything opened so far, closed in this order by close() or by a failed start.
  const opened: {
    server?: ReturnType<typeof createHubServer>;
    agentHub?: AgentHub;
    engine?: FerryEngine;
    identity?: Identity;
    store?: StoreV1 & { destroy(): Promise<void> };
    database?: HubDatabase;
  } = {};
  let engineRunning = false;
  const shutDown = async () => {
    const step = async (what: string, fn: (() => Promise<void>) | undefined) => {
      if (fn) await fn().catch((error: unknown) => logger.error({ err: error, step: what }, 'shutdown step failed'));
    };
    opened.server?.startDraining();
    await step('server', opened.server && (() => (opened.server as ReturnType<typeof createHubServer>).close(options.shutdownGraceMs)));
    engineRunning = false;
    // Agents are told to reconnect elsewhere before the engine lets go of its deployments.
    await step('agent hub', opened.agentHub?.close);
    // Releases every lease: another replica takes the deployments at once.
    await step('engine', opened.engine?.close);
    await step('identity', opened.identity?.close);
    await step('store', opened.store && (() => (opened.store as { destroy(): Promise<void> }).destroy()));
    await step('database', opened.database?.close);
  };

  try {
    const tls = await tlsMaterial(options);
    if (!tls) logger.warn({ host: options.host }, 'TLS is off (plain mode): traffic to this hub is unencrypted; use it on this machine only');
    const replicaName = await resolveReplicaName(options.dataDir, options.replicaName);
    const masterKey = masterKeyOf(options);

    const database = await openHubDatabase('sqlite' in options.database ? { sqlitePath: options.database.sqlite } : { connectionString: options.database.postgres, ...(options.database.schema ? { schema: options.database.schema } : {}) });
    opened.database = database;
    const store = await openStore(options);
    opened.store = store;
    const repositories = database.repositories({
      masterKey,
      hasDeployments: async (tenant) => (await store.list({ tenant, limit: 1 })).length > 0,
    });

    const metrics = createHubMetrics({ store: () => store });
    const holder = deferredEngine();
    const server = createHubServer({
      ...(tls ? { tls } : {}),
      logger,
      metrics,
      readiness: [
        { name: 'database', check: async () => void (await store.get('readiness-probe')) },
        {
          name: 'engine',
          check: async () => {
            if (!engineRunning) throw new Error('the engine is not running');
          },
        },
      ],
    });
    opened.server = server;

    // The issuer and webhook callbacks need the URL, and with port 0 the URL exists only
    // once the server listens: routes reach the identity and engine through stand-ins.
    const late: { identity?: StartedIdentity; baseUrl?: string } = {};
    const started = (): StartedIdentity => {
      if (!late.identity) throw new FerryUnavailableError('the hub is starting', { code: 'hub_starting' });
      return late.identity;
    };
    mountOidc(server.app, () => late.identity?.identity);
    // Preview links (exposeServices): any replica serves them from the database, relayed through the target's agent.
    const previewRelay: { agentHub?: AgentHub } = {};
    const previews = createPreviewLinks({
      previews: new SqlPreviewRepository(database.db),
      targets: repositories.targets,
      relay: () => previewRelay.agentHub,
      publicUrl: () => late.baseUrl ?? '',
      ...(options.previewUpstream ? { upstream: options.previewUpstream } : {}),
    });
    registerPreviewRoute(server.app, () => previews);
    const providers = tenantMetricProviders({ integrations: repositories.integrations, vault: repositories.secrets });
    const ctx: ApiContext = {
      engine: holder.engine,
      repositories,
      verifier: { verify: (token) => started().identity.verifier.verify(token) },
      requireGrant: (principal, resource, access) => started().requireGrant(principal, resource, access),
      hasRoles: (principal, roles) => started().hasRoles(principal, roles),
      get baseUrl() {
        return late.baseUrl ?? '';
      },
      testIntegration: integrationTester(providers),
    };
    await registerApi(server.app, ctx);
    registerWebhookCallbackRoutes(server.app, { engine: holder.engine, logger: engineLogger(logger.child({ component: 'webhook-callbacks' })) });

    if (options.console) await registerConsole(server.app, { assetsDir: options.console.assetsDir, ...(options.console.redirectUri ? { redirectUri: options.console.redirectUri } : {}) });

    await server.app.listen({ host: options.host, port: options.port });
    const url = urlOf(server.app, tls !== undefined, options.host);
    const publicUrl = options.publicUrl ?? url;
    late.baseUrl = publicUrl;

    const identity = await startIdentity({
      url: publicUrl,
      repositories,
      database,
      masterKey,
      ...(options.bootstrapAdmin ? { bootstrapAdmin: options.bootstrapAdmin } : {}),
      ...(options.console ? { consoleRedirectUris: [options.console.redirectUri ?? `${publicUrl}/console/callback`] } : {}),
    });
    late.identity = identity;
    opened.identity = identity.identity;

    let agentHub: AgentHub | undefined;
    if (options.agentHub.enabled && tls) {
      agentHub = await createAgentHub({
        verifier: { verify: (token) => started().identity.verifier.verify(token) },
        agents: repositories.agents,
        targets: repositories.targets,
        tls: { certPem: tls.certPem, keyPem: tls.keyPem },
        replicaName,
        host: options.host,
        port: options.agentHub.port,
        ...(options.agentHub.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: options.agentHub.heartbeatIntervalMs } : {}),
        ...(options.agentHub.nats ? { nats: { servers: options.agentHub.nats } } : {}),
        requireGrant: (principal) => requireGrant(principal, 'agentHub', 'write'),
        logger: logger.child({ component: 'agent-hub' }),
      });
      opened.agentHub = agentHub;
      previewRelay.agentHub = agentHub;
      // Targets of agents that have not reconnected yet answer "agent unavailable", not "unknown account".
      for (const tenant of await repositories.tenants.list()) await agentHub.rememberAgentTargets(tenant.name);
    } else if (options.agentHub.enabled) {
      logger.warn('the Agent Hub is off: it needs TLS (plain mode)');
    }

    const engine = createHostedEngine({
      store,
      repositories,
      metricProviders: providers,
      owner: replicaName,
      leaseTtlMs: options.leaseTtlMs,
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
      agentConnectors: [...options.clusterConnectors, ...(agentHub ? [agentHub.connector] : [])],
      ...(agentHub ? { agentTransports: (tenant: string) => (agentHub as AgentHub).agentTransports(tenant) } : {}),
      baseUrl: publicUrl,
      previews,
      logger: engineLogger(logger.child({ component: 'engine' })),
    });
    opened.engine = engine;
    metrics.observeEngine(engine.events);
    holder.set(engine);
    engineRunning = true;
    logger.info({ url, publicUrl, agentHub: agentHub ? `${options.host}:${agentHub.port}` : 'off', replica: replicaName, issuer: identity.identity.issuer, database: 'sqlite' in options.database ? 'sqlite' : 'postgres' }, 'hub started');

    let closing: Promise<void> | undefined;
    return {
      url,
      publicUrl,
      ...(tls?.caCertPem ? { caCertPem: tls.caCertPem } : {}),
      ...(tls?.caFile ? { caFile: tls.caFile } : {}),
      issuer: identity.identity.issuer,
      engine,
      repositories,
      replicaName,
      options,
      metrics,
      logger,
      server: server.app,
      ...(agentHub ? { agentHub, agentHubAddress: `${options.host}:${agentHub.port}` } : {}),
      close() {
        closing ??= (async () => {
          logger.info('hub shutting down');
          await shutDown();
          logger.info('hub stopped');
          logger.flush();
        })();
        return closing;
      },
    };
  } catch (error) {
    await shutDown();
    throw error;
  }
}

async function tlsMaterial(options: ResolvedHubOptions): Promise<TlsMaterial | undefined> {
  if (options.tls.mode === 'plain') return undefined;
  if (options.tls.mode === 'provided') return loadProvidedTls(options.tls);
  return ensureLocalCa(options.dataDir, options.host);
}

function masterKeyOf(options: ResolvedHubOptions): Buffer {
  if (options.masterKey && 'file' in options.masterKey) return loadMasterKey({ file: options.masterKey.file });
  if (options.masterKey && 'env' in options.masterKey) {
    const name = options.masterKey.env;
    return loadMasterKey({ env: { FERRY_MASTER_KEY: process.env[name] } });
  }
  const file = join(options.dataDir, 'master.key');
  return existsSync(file) ? loadMasterKey({ file }) : generateMasterKeyFile(file);
}

async function openStore(options: ResolvedHubOptions): Promise<StoreV1 & { destroy(): Promise<void> }> {
  if ('sqlite' in options.database) return createSqliteStore({ path: options.database.sqlite });
  return createPostgresStore({ connectionString: options.database.postgres, ...(options.database.schema ? { schema: options.database.schema } : {}) });
}

function urlOf(app: FastifyInstance, https: boolean, host: string): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the hub server has no TCP address');
  // A wildcard listener is reached on loopback from this machine.
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${https ? 'https' : 'http'}://${shown}:${address.port}`;
}
