import type { HubRepositories, Identity, Principal, RequireGrant } from '../contracts.js';
import type { HubDatabase } from '../db/index.js';
import { hasRoles, requireGrant } from '../auth/index.js';
import { createIdentity, ensureBootstrapAdmin } from '../identity/index.js';

export interface StartedIdentity {
  identity: Identity;
  requireGrant: RequireGrant;
  hasRoles(principal: Principal, requiresRoles: string[]): boolean;
}

/** The hub's OIDC service at `<url>/oidc`, and the bootstrap admin on first start. */
export async function startIdentity(options: {
  url: string;
  repositories: HubRepositories;
  database: HubDatabase;
  masterKey: Buffer;
  bootstrapAdmin?: { email: string; password: string };
  /** Where the web console's login returns (authorization code + PKCE). */
  consoleRedirectUris?: string[];
}): Promise<StartedIdentity> {
  if (options.bootstrapAdmin) await ensureBootstrapAdmin({ repositories: options.repositories, ...options.bootstrapAdmin });
  const identity = await createIdentity({
    issuer: `${options.url}/oidc`,
    repositories: options.repositories,
    database: options.database,
    masterKey: options.masterKey,
    ...(options.consoleRedirectUris ? { consoleRedirectUris: options.consoleRedirectUris } : {}),
  });
  return { identity, requireGrant, hasRoles };
}
