import { GRANT_RESOURCES, type Grant, type GrantResource, type Role } from '../api/types.js';

/**
 * `PUT /api/v1/roles` replaces every role of each tenant the document names, so an edit
 * sends the whole tenant: its roles with one added, replaced or removed. Other tenants'
 * roles are left out (and so left alone).
 */
export function withRole(all: Role[], tenant: string, role: { name: string; grants: Grant[] }): { roles: Role[] } {
  const mine = all.filter((r) => r.tenant === tenant && r.name !== role.name);
  return { roles: [...mine, { name: role.name, tenant, grants: role.grants }] };
}

export function withoutRole(all: Role[], tenant: string, name: string): { roles: Role[] } {
  return { roles: all.filter((r) => r.tenant === tenant && r.name !== name) };
}

export type Access = 'none' | 'read' | 'full';

/** The grant editor's choices (one per area) → grants. */
export function grantsFromChoices(choices: Partial<Record<GrantResource, Access>>): Grant[] {
  return GRANT_RESOURCES.flatMap((resource) => {
    const access = choices[resource] ?? 'none';
    return access === 'none' ? [] : [{ type: 'api' as const, resource, permission: access }];
  });
}

export function choicesFromGrants(grants: Grant[]): Partial<Record<GrantResource, Access>> {
  const choices: Partial<Record<GrantResource, Access>> = {};
  for (const grant of grants) {
    if (choices[grant.resource] !== 'full') choices[grant.resource] = grant.permission;
  }
  return choices;
}
