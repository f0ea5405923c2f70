import type { HubRepositories } from '../contracts.js';
import { TenantKeyring } from '../secrets/tenant-keyring.js';
import { SqlSecretVault } from '../secrets/vault.js';
import { SqlAgentRepository } from './agents.js';
import { SqlCredentialRepository } from './credentials.js';
import { SqlIntegrationRepository } from './integrations.js';
import type { HubDatabase } from './open-hub-database.js';
import { SqlRoleRepository } from './roles.js';
import { SqlTargetRepository } from './targets.js';
import { SqlTenantRepository } from './tenants.js';
import { SqlUserRepository } from './users.js';

export interface HubRepositoryOptions {
  /** 32 bytes; wraps every tenant's data key (see loadMasterKey). */
  masterKey: Buffer;
  /**
   * Whether the tenant still has deployments (the engine's store is not tenant-aware here);
   * tenant deletion is refused while it answers true. Default: never.
   */
  hasDeployments?: (tenant: string) => Promise<boolean>;
}

/** The concrete repositories: HubRepositories plus the extra lookups the identity service uses. */
export interface SqlHubRepositories extends HubRepositories {
  users: SqlUserRepository;
  credentials: SqlCredentialRepository;
}

export function createHubRepositories(database: Pick<HubDatabase, 'db'>, options: HubRepositoryOptions): SqlHubRepositories {
  const { db } = database;
  const keyring = new TenantKeyring(db, options.masterKey);
  return {
    tenants: new SqlTenantRepository(db, keyring, options.hasDeployments ?? (async () => false)),
    users: new SqlUserRepository(db),
    credentials: new SqlCredentialRepository(db, keyring),
    roles: new SqlRoleRepository(db),
    secrets: new SqlSecretVault(db, keyring),
    integrations: new SqlIntegrationRepository(db),
    targets: new SqlTargetRepository(db),
    agents: new SqlAgentRepository(db),
  };
}
