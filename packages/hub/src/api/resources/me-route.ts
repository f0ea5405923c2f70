import { z } from 'zod';
import { principalOf } from '../access.js';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { grantSchema } from './resource-schemas.js';

export const meSchema = z.object({
  subject: z.string(),
  kind: z.enum(['user', 'machine']),
  name: z.string(),
  tenant: z.string(),
  roles: z.array(z.string()),
  grants: z.array(grantSchema).describe("The union of the caller's roles' grants (what the console enables buttons by)"),
  expiresAtIso: z.string(),
});

/**
 * Who the token belongs to, with the grants its roles resolve to. Any valid token may ask: the route needs only a `read` of the
 * caller's own tenant area it can always see, so it is gated on authentication alone.
 */
export function registerMeRoute(api: ApiInstance, _deps: RouteDeps): void {
  api.get('/api/v1/me', {
    config: { access: { authenticated: true } },
    schema: {
      tags: ['identity'],
      summary: 'The caller',
      response: {
        200: meSchema,
      },
    },
  }, async (request) => {
    const p = principalOf(request);
    return { subject: p.subject, kind: p.kind, name: p.name, tenant: p.tenant, roles: [...p.roles], grants: p.grants.map((g) => ({ type: g.type, resource: g.resource, permission: g.permission })), expiresAtIso: new Date(p.expiresAt).toISOString() };
  });
}
