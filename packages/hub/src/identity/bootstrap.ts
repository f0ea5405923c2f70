import type { HubRepositories, UserRecord } from '../contracts.js';

export const ORGANIZATION_ADMIN_ROLE = 'Organization Admin';

export interface BootstrapAdminOptions {
  repositories: HubRepositories;
  /** Default `default`. */
  tenant?: string;
  email: string;
  password: string;
}

/**
 * The hub's first start: the first tenant, an `Organization Admin` role holding the
 * organization grant, and the admin user. Idempotent: whatever exists is left alone
 * (an existing admin's password is not reset).
 */
export async function ensureBootstrapAdmin(options: BootstrapAdminOptions): Promise<{ user: UserRecord; created: boolean }> {
  const { repositories } = options;
  const tenant = options.tenant ?? 'default';
  await repositories.tenants.ensure(tenant);
  const roles = await repositories.roles.list(tenant);
  if (!roles.some((role) => role.name === ORGANIZATION_ADMIN_ROLE)) {
    await repositories.roles.put({ tenant, name: ORGANIZATION_ADMIN_ROLE, grants: [{ type: 'api', resource: 'organization', permission: 'full' }] });
  }
  const existing = await repositories.users.findByEmail(options.email);
  if (existing) return { user: existing, created: false };
  const { user } = await repositories.users.create({ tenant, email: options.email, roles: [ORGANIZATION_ADMIN_ROLE], password: options.password });
  return { user, created: true };
}
