import { FerryForbiddenError, isFerryError } from '@ferry/core';
import { type z } from 'zod';
import type { ApiContext, Principal, RoleRecord } from '../../contracts.js';
import { principalOf } from '../access.js';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { checkGrantsHeld } from './assignable-grants.js';
import { type roleSchema, rolesDocumentSchema } from './resource-schemas.js';

const TAG = ['roles'];

/**
 * Roles in the reference CLI's `config apply` format: `{roles: [{name, tenant, grants}]}`,
 * JSON or YAML (content-type application/yaml). A caller manages its own tenant's roles;
 * only an organization grant reaches other tenants or hands out the organization grant.
 */
export function registerRoleRoutes(api: ApiInstance, { ctx }: RouteDeps): void {
  const readRoles = async (request: { ferryPrincipal?: Principal }) => ({ roles: await visibleRoles(ctx, principalOf(request as never)) });
  const response = { 200: rolesDocumentSchema };

  api.get('/api/v1/roles', {
    config: { access: { resource: 'role', access: 'read' } },
    schema: { tags: TAG, summary: 'The roles the caller may manage', response },
  }, async (request) => readRoles(request));

  api.get('/api/v1/config', {
    config: { access: { resource: 'role', access: 'read' } },
    schema: { tags: TAG, summary: 'The `config get` document (roles)', response },
  }, async (request) => readRoles(request));

  api.put('/api/v1/roles', {
    config: { access: { resource: 'role', access: 'write' } },
    schema: {
      tags: TAG,
      summary: 'Replace the roles of every tenant named in the document (`config apply`)',
      description: 'JSON, or YAML with content-type application/yaml. Each tenant named in the document gets exactly the roles listed for it.',
      body: rolesDocumentSchema,
      response,
    },
  }, async (request) => {
    const principal = principalOf(request);
    const organization = holdsOrganization(ctx, principal);
    const byTenant = new Map<string, Array<Omit<RoleRecord, 'tenant'>>>();
    request.body.roles.forEach((role, index) => {
      if (role.tenant !== principal.tenant && !organization) {
        throw new FerryForbiddenError(`body.roles[${index}].tenant: roles of tenant ${role.tenant} need the organization grant`, { code: 'missing_grant' });
      }
      checkGrantsHeld(ctx, principal, role.grants, `body.roles[${index}].grants`);
      byTenant.set(role.tenant, [...(byTenant.get(role.tenant) ?? []), { name: role.name, grants: role.grants }]);
    });
    for (const [tenant, roles] of byTenant) await ctx.repositories.roles.replaceAll(tenant, roles);
    return { roles: await visibleRoles(ctx, principal) };
  });
}

function holdsOrganization(ctx: Pick<ApiContext, 'requireGrant'>, principal: Principal): boolean {
  try {
    ctx.requireGrant(principal, 'organization', 'write');
    return true;
  } catch (error) {
    if (isFerryError(error) && error instanceof FerryForbiddenError) return false;
    throw error;
  }
}

/** The caller's tenant's roles; every tenant's for an organization grant. */
async function visibleRoles(ctx: Pick<ApiContext, 'repositories' | 'requireGrant'>, principal: Principal): Promise<Array<z.infer<typeof roleSchema>>> {
  const tenants = holdsOrganization(ctx, principal) ? (await ctx.repositories.tenants.list()).map((t) => t.name) : [principal.tenant];
  const lists = await Promise.all(tenants.map((tenant) => ctx.repositories.roles.list(tenant)));
  return lists.flat().map((r) => ({ name: r.name, tenant: r.tenant, grants: r.grants.map((g) => ({ ...g })) }));
}
