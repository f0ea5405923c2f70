import { FerryForbiddenError } from '@ferry/core';
import type { Grant, GrantResource, Principal, RequireGrant } from '../contracts.js';

/** Whether one grant allows `access` to `resource`. */
export function grantAllows(grant: Grant, resource: GrantResource, access: 'read' | 'write'): boolean {
  if (grant.type !== 'api') return false;
  if (access === 'write' && grant.permission !== 'full') return false;
  // `organization` covers everything; `tenant` everything inside the tenant (not the organization).
  if (grant.resource === 'organization') return true;
  if (grant.resource === 'tenant') return resource !== 'organization';
  return grant.resource === resource;
}

/** Whether the principal's resolved grants allow `access` to `resource` in its tenant. */
export function isGranted(principal: Principal, resource: GrantResource, access: 'read' | 'write'): boolean {
  return principal.grants.some((grant) => grantAllows(grant, resource, access));
}

/** Throws FerryForbiddenError `missing_grant`, naming the grant, e.g. `api/deployment (write)`. */
export const requireGrant: RequireGrant = (principal, resource, access) => {
  if (isGranted(principal, resource, access)) return;
  throw new FerryForbiddenError(`${principal.name} lacks the grant api/${resource} (${access})`, {
    code: 'missing_grant',
    details: { grant: `api/${resource}`, access, tenant: principal.tenant },
  });
};
