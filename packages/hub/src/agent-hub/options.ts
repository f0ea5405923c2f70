import { z } from 'zod';
import type { AgentRepository, Principal, TargetRepository, TokenVerifier } from '../contracts.js';

/** A pino-compatible logger subset (the hub passes its own). */
export interface AgentHubLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const agentHubSettings = z
  .object({
    /** Where the gRPC server listens (default 127.0.0.1:0, a port picked at start). */
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(0),
    /** This hub process's name in the agent registry (e.g. the pod name). */
    replicaName: z.string().min(1),
    /** Heartbeats both ways at this interval; a stream silent for 3 intervals is dead (default 2 s: a cut is noticed within ~8 s). */
    heartbeatIntervalMs: z.number().int().min(50).default(2_000),
    /** How long an agent has after connecting to send `register` (default 10 s). */
    registerTimeoutMs: z.number().int().min(10).default(10_000),
    /** The registry's last-heartbeat column is written at most this often per agent (default 15 s). */
    heartbeatPersistIntervalMs: z.number().int().min(0).default(15_000),
    /** Cross-replica relay (see docs/decisions.md); without it only agents connected here are reachable. */
    nats: z.object({ servers: z.union([z.string(), z.array(z.string())]), subjectPrefix: z.string().default('ferry.agenthub') }).optional(),
  })
  .strict();

export interface AgentHubOptions extends z.input<typeof agentHubSettings> {
  verifier: TokenVerifier;
  agents: AgentRepository;
  targets: TargetRepository;
  /** The hub's server certificate and key (PEM); agents verify it against the hub's CA. */
  tls: { certPem: string; keyPem: string };
  /** The hub's `requireGrant` (auth/); default: a check of `agentHub`/`tenant`/`organization` full grants. */
  requireGrant?: (principal: Principal, resource: 'agentHub', access: 'write') => void;
  logger?: AgentHubLogger;
  now?: () => number;
}

export type AgentHubSettings = z.output<typeof agentHubSettings>;
