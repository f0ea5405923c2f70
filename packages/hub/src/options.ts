import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { FerryInputError, type ClusterConnectorV1 } from '@ferry/core';
import type { DestinationStream } from 'pino';
import { z } from 'zod';
import type { PreviewUpstream } from './preview/upstream.js';

/** Hosts a plain-HTTP hub may listen on: traffic never leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

const databaseSchema = z.union([
  z.strictObject({ sqlite: z.string().min(1) }),
  z.strictObject({ postgres: z.string().min(1), schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _').optional() }),
]);

const tlsSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('local-ca') }),
  z.strictObject({ mode: z.literal('provided'), certFile: z.string().min(1), keyFile: z.string().min(1), caFile: z.string().min(1).optional() }),
  z.strictObject({ mode: z.literal('plain') }),
]);

const masterKeySchema = z.union([z.strictObject({ file: z.string().min(1) }), z.strictObject({ env: z.string().min(1) })]);

const schema = z
  .strictObject({
    /** Where the hub keeps its SQLite file, TLS material, master key and replica name. */
    dataDir: z.string().min(1).default(join(homedir(), '.ferry', 'hub')),
    host: z.string().min(1).default('127.0.0.1'),
    /**
     * Where clients reach the hub when that is not the listening address (a load balancer in
     * front of several replicas): the OIDC issuer, links and webhook callbacks use it, so
     * every replica must be given the same. Default: the listening URL.
     */
    publicUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')).optional(),
    /** 0 picks a free port. */
    port: z.number().int().min(0).max(65_535).default(8443),
    /** Default: `{ sqlite: <dataDir>/hub.db }`. */
    database: databaseSchema.optional(),
    tls: tlsSchema.default({ mode: 'local-ca' }),
    /** Default: `<dataDir>/master.key`, generated on first start. */
    masterKey: masterKeySchema.optional(),
    /** The engine's lease owner. Default: read from `<dataDir>/replica-name`, written on first start. */
    replicaName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" and "-"').optional(),
    /** How long another replica waits before taking over this one's deployments. Default 30 s. */
    leaseTtlMs: z.number().int().min(500).max(600_000).default(30_000),
    /** Lease renewal and store scans; default a third of the TTL. */
    pollIntervalMs: z.number().int().min(50).max(600_000).optional(),
    /** Created on first start (in tenant `default`) when no user has this email yet. */
    bootstrapAdmin: z.strictObject({ email: z.email(), password: z.string().min(8, 'at least 8 characters') }).optional(),
    /** Its contexts are deployment targets of kind `kubeconfig`. */
    kubeconfig: z.string().min(1).optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Where JSON logs go (default stdout). */
    logger: z.custom<DestinationStream>((value) => typeof (value as DestinationStream | undefined)?.write === 'function', 'must be a writable stream (pino destination)').optional(),
    /** Where preview links relay to (default: the Kubernetes API's service proxy); tests on the dev cluster swap it. */
    previewUpstream: z.custom<PreviewUpstream>((value) => typeof value === 'function', 'must be a function').optional(),
    /**
     * Extension point for the Agent Hub: more connectors for target records of kind `agent`
     * (asked with `handles(ref)` / `client({account: ref, namespace})`).
     */
    clusterConnectors: z.array(z.custom<ClusterConnectorV1>((value) => typeof (value as ClusterConnectorV1 | undefined)?.client === 'function', 'must be a ClusterConnectorV1')).default([]),
    /**
     * The Agent Hub: Remote Network Agents dial in here (gRPC over TLS, on the hub's host and
     * certificate). Off in plain-HTTP mode. `nats` relays requests between hub replicas, so
     * an agent connected to any replica serves deployments run by every replica.
     */
    agentHub: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** 0 picks a free port. */
        port: z.number().int().min(0).max(65_535).default(9443),
        nats: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
        heartbeatIntervalMs: z.number().int().min(50).optional(),
      })
      .default({ enabled: true, port: 9443 }),
    /**
     * The web console (`consoleAssetsDir()` of @ferry/console), served at `/console/`. The hub
     * does not depend on the console package; `ferry hub` passes it when installed.
     */
    console: z.strictObject({ assetsDir: z.string().min(1), redirectUri: z.url().optional() }).optional(),
    /** Longest a graceful shutdown waits for in-flight requests. Default 10 s. */
    shutdownGraceMs: z.number().int().min(0).max(600_000).default(10_000),
  })
  .superRefine((options, ctx) => {
    if (options.tls.mode === 'plain' && !isLoopbackHost(options.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tls', 'mode'],
        message: `plain HTTP is allowed only on a loopback host (127.0.0.1, ::1, localhost), not on "${options.host}": use TLS (local-ca or provided certificates)`,
      });
    }
  });

export type HubOptions = z.input<typeof schema>;

/** Options with defaults applied and paths absolute. */
export type ResolvedHubOptions = Omit<z.output<typeof schema>, 'database'> & {
  database: { sqlite: string } | { postgres: string; schema?: string };
};

/** Validates once, at the boundary; the error names every bad path. */
export function parseHubOptions(input: HubOptions = {}): ResolvedHubOptions {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
    throw new FerryInputError(`invalid hub options: ${lines.join('; ')}`, { code: 'invalid_hub_options' });
  }
  const options = parsed.data;
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? { sqlite: join(dataDir, 'hub.db') };
  return {
    ...options,
    dataDir,
    database: 'sqlite' in database ? { sqlite: resolve(database.sqlite) } : database,
    ...(options.kubeconfig ? { kubeconfig: resolve(options.kubeconfig) } : {}),
  };
}
