import { z } from 'zod';

export const agentOptionsSchema = z
  .object({
    /** The agent's name in its tenant; replicas of one agent share it. In cluster-account mode it names the target. */
    identifier: z.string().regex(/^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/i, 'letters, digits, ".", "_", "-"; at most 63'),
    hub: z
      .object({
        /** `host:port` of the hub's Agent Hub (gRPC over TLS). */
        address: z.string().min(1),
        /** PEM of the CA that signed the hub's certificate (default: the system's CAs). */
        caPem: z.string().optional(),
        /** Checks the hub certificate against this name instead of the address's host. */
        serverName: z.string().optional(),
      })
      .strict(),
    auth: z
      .object({
        /** The OAuth token endpoint (e.g. `https://hub:8443/oidc/token`); or give `issuer` to discover it. */
        tokenUrl: z.string().url().optional(),
        issuer: z.string().url().optional(),
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        audience: z.string().optional(),
      })
      .strict()
      .refine((auth) => auth.tokenUrl || auth.issuer, { message: 'give tokenUrl or issuer' }),
    /** Cluster-account mode: the hub registers this agent's cluster as a deployment target. */
    clusterAccount: z.boolean().default(true),
    /** Whether the agent's ServiceAccount is bound to a ClusterRole (reported to the hub). */
    clusterRole: z.boolean().default(true),
    kube: z
      .object({
        /** A kubeconfig for development; default: the in-cluster ServiceAccount (token + CA). */
        kubeconfigPath: z.string().optional(),
        context: z.string().optional(),
      })
      .strict()
      .default({}),
    /** Hosts the hub may reach through the agent besides the cluster API: `host`, `host:port` or `*.suffix`. */
    allowedHosts: z.array(z.string().min(1)).default([]),
    /** `/health/liveness` and `/metrics`: the only port the agent listens on. */
    healthPort: z.number().int().min(0).max(65535).default(8080),
    healthHost: z.string().default('127.0.0.1'),
    reconnect: z
      .object({ initialDelayMs: z.number().int().min(1).default(500), maxDelayMs: z.number().int().min(1).default(30_000) })
      .strict()
      .default({ initialDelayMs: 500, maxDelayMs: 30_000 }),
    /** How long SIGTERM waits for in-flight requests (default 25 s, inside Kubernetes' 30 s grace period). */
    drainTimeoutMs: z.number().int().min(0).default(25_000),
  })
  .strict();

export type AgentOptions = z.input<typeof agentOptionsSchema>;
export type AgentSettings = z.output<typeof agentOptionsSchema>;
