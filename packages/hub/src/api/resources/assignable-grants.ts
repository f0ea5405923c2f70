import { FerryForbiddenError } from '@ferry/core';
import type { ApiContext, Grant, Principal } from '../../contracts.js';

/**
 * No escalation: a caller may only hand out (in a role, or by giving roles to a user or a
 * credential) grants it holds itself. Throws FerryForbiddenError naming the first one it lacks.
 */
export function checkGrantsHeld(ctx: Pick<ApiContext, 'requireGrant'>, principal: Principal, grants: Grant[], where: string): void {
  for (const grant of grants) {
    try {
      ctx.requireGrant(principal, grant.resource, grant.permission === 'full' ? 'write' : 'read');
    } catch (error) {
      if (!(error instanceof FerryForbiddenError)) throw error;
      throw new FerryForbiddenError(`${where}: cannot hand out api/${grant.resource} (${grant.permission}), which the caller does not hold`, {
        code: 'grant_escalation',
        details: { resource: grant.resource, permission: grant.permission },
      });
    }
  }
}

/** The same for role names in the caller's tenant. */
export async function checkRolesAssignable(ctx: Pick<ApiContext, 'requireGrant' | 'repositories'>, principal: Principal, roles: string[], where: string): Promise<void> {
  if (roles.length === 0) return;
  checkGrantsHeld(ctx, principal, await ctx.repositories.roles.grantsOf(principal.tenant, roles), where);
}
