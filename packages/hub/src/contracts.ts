/**
 * The seams between the hub's parts. Persistence and identity (db/, secrets/, identity/,
 * auth/) implement them; the server and its routes (server/, api/) and the Agent Hub
 * (agent-hub/) only use them. Everything here is tenant-scoped: no method reads or writes
 * another tenant's rows unless its name says "organization".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FerryEngine } from '@ferry/core';

// ---------------------------------------------------------------------------------------
// Who is calling

/** Armory's grant format (`config apply`): `{type: api, resource: deployment, permission: full}`. */
export interface Grant {
  type: 'api';
  /** `organization` and `tenant` grant everything below them; the rest grant one area. */
  resource: GrantResource;
  /** `full` allows reads and writes; `read` only reads. */
  permission: 'full' | 'read';
}

export const GRANT_RESOURCES = [
  'organization',
  'tenant',
  'deployment',
  'agentHub',
  'secret',
  'credential',
  'integration',
  'role',
  'user',
  'target',
] as const;
export type GrantResource = (typeof GRANT_RESOURCES)[number];

export interface Principal {
  /** `user:<id>`, `client:<clientId>`. */
  subject: string;
  kind: 'user' | 'machine';
  /** Display name: the user's email or the credential's name. */
  name: string;
  tenant: string;
  /** Role names (deploy files' `requiresRoles` match these). */
  roles: string[];
  /** The union of the roles' grants, resolved when the token is verified. */
  grants: Grant[];
  /** Epoch ms; the token's `exp`. */
  expiresAt: number;
}

/** Verifies a bearer access token issued by the hub's OIDC service (or the external IdP). */
export interface TokenVerifier {
  /** Throws FerryUnauthenticatedError (missing, malformed, expired, wrong issuer/audience, revoked credential). */
  verify(accessToken: string): Promise<Principal>;
}

/** Throws FerryForbiddenError naming the grant that is missing. */
export type RequireGrant = (principal: Principal, resource: GrantResource, access: 'read' | 'write') => void;

// ---------------------------------------------------------------------------------------
// What the hub stores next to the engine's deployments

export interface TenantRecord {
  name: string;
  createdAt: number;
}

export interface UserRecord {
  id: string;
  tenant: string;
  email: string;
  roles: string[];
  createdAt: number;
  /** A pending invitation has no password yet. */
  invited: boolean;
}

export interface CredentialRecord {
  /** The OAuth client id. */
  clientId: string;
  tenant: string;
  name: string;
  roles: string[];
  /** How long its access tokens last (seconds); null: the hub's default. */
  tokenTtlSeconds: number | null;
  createdAt: number;
  /** Never the secret: only its hash is kept. */
}

export interface RoleRecord {
  name: string;
  tenant: string;
  grants: Grant[];
}

export interface SecretRecord {
  name: string;
  tenant: string;
  createdAt: number;
  updatedAt: number;
  /** Never the value. */
}

export interface IntegrationRecord {
  /** e.g. `prometheus`, `datadog`, `newrelic`, `webhook`. */
  type: string;
  name: string;
  tenant: string;
  /** Non-secret settings (URL, site...). Secret settings live in the secret store, referenced by name. */
  settings: Record<string, unknown>;
  createdAt: number;
}

export interface TargetRecord {
  /** The `account` deploy files name. */
  name: string;
  tenant: string;
  /** `kubeconfig` (a context the hub can reach) or `agent` (through a Remote Network Agent). */
  kind: 'kubeconfig' | 'agent';
  /** kubeconfig: the context name; agent: the agent identifier. */
  ref: string;
  createdAt: number;
}

export interface AgentRecord {
  identifier: string;
  tenant: string;
  instanceId: string;
  version: string;
  hubReplica: string;
  address: string;
  connectedAt: number;
  lastHeartbeatAt: number;
  clusterRole: boolean;
}

// ---------------------------------------------------------------------------------------
// Repositories (db/ implements them over kysely, SQLite and PostgreSQL alike)

export interface TenantRepository {
  list(): Promise<TenantRecord[]>;
  get(name: string): Promise<TenantRecord | null>;
  /** Idempotent. */
  ensure(name: string): Promise<TenantRecord>;
  /** FerryConflictError while the tenant still has deployments, agents or credentials. */
  delete(name: string): Promise<void>;
}

export interface UserRepository {
  list(tenant: string): Promise<UserRecord[]>;
  get(tenant: string, id: string): Promise<UserRecord | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  /** Without a password the user is an invitation; answers the invitation code once. */
  create(input: { tenant: string; email: string; roles: string[]; password?: string }): Promise<{ user: UserRecord; invitationCode?: string }>;
  /** Accepts an invitation: sets the password. FerryNotFoundError for an unknown or used code. */
  acceptInvitation(code: string, password: string): Promise<UserRecord>;
  /** Answers the user when the password matches (constant-time, hashed with scrypt); null otherwise. */
  verifyPassword(email: string, password: string): Promise<UserRecord | null>;
  setRoles(tenant: string, id: string, roles: string[]): Promise<UserRecord>;
  delete(tenant: string, id: string): Promise<void>;
}

export interface CredentialRepository {
  list(tenant: string): Promise<CredentialRecord[]>;
  get(clientId: string): Promise<CredentialRecord | null>;
  /** The secret is answered here once and never again. */
  create(input: { tenant: string; name: string; roles: string[]; tokenTtlSeconds?: number | null }): Promise<{ credential: CredentialRecord; clientSecret: string }>;
  /** The OIDC service's client lookup: the secret, decrypted, for its comparison. Never leaves the hub. */
  secretOf(clientId: string): Promise<string | null>;
  delete(tenant: string, clientId: string): Promise<void>;
}

export interface RoleRepository {
  list(tenant: string): Promise<RoleRecord[]>;
  /** Replaces the tenant's roles with the given set (`config apply`). */
  replaceAll(tenant: string, roles: Array<Omit<RoleRecord, 'tenant'>>): Promise<RoleRecord[]>;
  put(role: RoleRecord): Promise<RoleRecord>;
  delete(tenant: string, name: string): Promise<void>;
  /** The union of the named roles' grants in the tenant (unknown names grant nothing). */
  grantsOf(tenant: string, roles: string[]): Promise<Grant[]>;
}

/** Write-only secrets: AES-256-GCM under a per-tenant data key wrapped by the master key. */
export interface SecretVault {
  list(tenant: string): Promise<SecretRecord[]>;
  put(tenant: string, name: string, value: string): Promise<SecretRecord>;
  delete(tenant: string, name: string): Promise<void>;
  /** For rendering `{{secrets.NAME}}` into outgoing requests only. FerryNotFoundError when absent. */
  reveal(tenant: string, name: string): Promise<string>;
}

export interface IntegrationRepository {
  list(tenant: string): Promise<IntegrationRecord[]>;
  get(tenant: string, type: string, name: string): Promise<IntegrationRecord | null>;
  put(integration: Omit<IntegrationRecord, 'createdAt'>): Promise<IntegrationRecord>;
  delete(tenant: string, type: string, name: string): Promise<void>;
}

export interface TargetRepository {
  list(tenant: string): Promise<TargetRecord[]>;
  get(tenant: string, name: string): Promise<TargetRecord | null>;
  put(target: Omit<TargetRecord, 'createdAt'>): Promise<TargetRecord>;
  delete(tenant: string, name: string): Promise<void>;
}

export interface AgentRepository {
  list(tenant: string): Promise<AgentRecord[]>;
  /** Upserts by (tenant, identifier, instanceId). */
  upsert(agent: AgentRecord): Promise<void>;
  heartbeat(tenant: string, identifier: string, instanceId: string, at: number): Promise<void>;
  remove(tenant: string, identifier: string, instanceId: string): Promise<void>;
}

export interface HubRepositories {
  tenants: TenantRepository;
  users: UserRepository;
  credentials: CredentialRepository;
  roles: RoleRepository;
  secrets: SecretVault;
  integrations: IntegrationRepository;
  targets: TargetRepository;
  agents: AgentRepository;
}

// ---------------------------------------------------------------------------------------
// Identity (identity/ implements it over oidc-provider)

export interface Identity {
  /** e.g. `https://127.0.0.1:8443/oidc`; the `iss` of every token. */
  readonly issuer: string;
  /** Serves every request under `/oidc/` (discovery, JWKS, token, device, auth, interactions). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  readonly verifier: TokenVerifier;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// What the REST routes (api/) are given by the server (hub.ts)

export interface ApiContext {
  engine: FerryEngine;
  repositories: HubRepositories;
  verifier: TokenVerifier;
  requireGrant: RequireGrant;
  /** Whether the principal holds every role an approval `requiresRoles`. */
  hasRoles(principal: Principal, requiresRoles: string[]): boolean;
  /** The hub's public base URL, e.g. `https://127.0.0.1:8443` (links, callbacks). */
  baseUrl: string;
  /** Tries a metric provider's settings against its API; answers ok or the reason. */
  testIntegration(integration: IntegrationRecord, tenant: string): Promise<{ ok: boolean; message: string }>;
}
