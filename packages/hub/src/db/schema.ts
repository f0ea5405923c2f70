/**
 * The hub's own tables, next to @ferry/store-sql's deployment tables in the same database.
 * Times are epoch milliseconds (bigint on PostgreSQL, which pg answers as strings, hence
 * `number | string`). JSON is stored as text so both backends read it the same way.
 */
export interface HubTables {
  ferry_hub_tenants: TenantsTable;
  ferry_hub_users: UsersTable;
  ferry_hub_credentials: CredentialsTable;
  ferry_hub_roles: RolesTable;
  ferry_hub_data_keys: DataKeysTable;
  ferry_hub_secrets: SecretsTable;
  ferry_hub_integrations: IntegrationsTable;
  ferry_hub_targets: TargetsTable;
  ferry_hub_agents: AgentsTable;
  ferry_hub_oidc: OidcTable;
}

type EpochMs = number | string;

export interface TenantsTable {
  name: string;
  created_at: EpochMs;
}

export interface UsersTable {
  id: string;
  tenant: string;
  /** Lower-cased; unique across the organization (the login name). */
  email: string;
  /** JSON array of role names. */
  roles: string;
  /** `scrypt$N$r$p$salt$hash`; null while the invitation is pending. */
  password_hash: string | null;
  /** SHA-256 of the invitation code (the code itself is random, so a fast hash is enough). */
  invitation_hash: string | null;
  created_at: EpochMs;
}

/** Sealed values: AES-256-GCM under a tenant data key (see secrets/). */
export interface SealedColumns {
  ciphertext: string;
  iv: string;
  tag: string;
  data_key_id: string;
}

export interface CredentialsTable {
  client_id: string;
  tenant: string;
  name: string;
  roles: string;
  /** The client secret, sealed: oidc-provider needs it back for client_secret_basic/post. */
  secret_ciphertext: string;
  secret_iv: string;
  secret_tag: string;
  secret_data_key_id: string;
  /** Access-token lifetime in seconds; null: the hub's default. */
  token_ttl_seconds: number | null;
  created_at: EpochMs;
}

export interface RolesTable {
  tenant: string;
  name: string;
  /** JSON array of grants. */
  grants: string;
}

/** A tenant's data key, wrapped (AES-256-GCM) by the master key. */
export interface DataKeysTable {
  id: string;
  tenant: string;
  wrapped_key: string;
  iv: string;
  tag: string;
  created_at: EpochMs;
}

export interface SecretsTable extends SealedColumns {
  tenant: string;
  name: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface IntegrationsTable {
  tenant: string;
  type: string;
  name: string;
  settings: string;
  created_at: EpochMs;
}

export interface TargetsTable {
  tenant: string;
  name: string;
  kind: string;
  ref: string;
  created_at: EpochMs;
}

export interface AgentsTable {
  tenant: string;
  identifier: string;
  instance_id: string;
  version: string;
  hub_replica: string;
  address: string;
  connected_at: EpochMs;
  last_heartbeat_at: EpochMs;
  /** 0/1 (portable boolean). */
  cluster_role: number;
}

/** oidc-provider's storage: every model (sessions, grants, codes, tokens...) as JSON. */
export interface OidcTable {
  model: string;
  id: string;
  payload: string;
  /** Epoch ms; null never expires. */
  expires_at: EpochMs | null;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  /** Epoch seconds when a code/token was consumed (oidc-provider's `consumed`). */
  consumed_at: EpochMs | null;
}

export type HubDialectName = 'sqlite' | 'postgres';
