import { FerryNotFoundError } from '@ferry/core';
import { z } from 'zod';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { iso, toIso } from './resource-schemas.js';

const TAG = ['tenants'];
const tenantName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit');
export const tenantSchema = z.object({ name: z.string(), createdAtIso: iso });

/** Tenants of the organization: only an organization grant manages them. */
export function registerTenantRoutes(api: ApiInstance, { ctx }: RouteDeps): void {
  const tenants = ctx.repositories.tenants;
  api.get('/api/v1/tenants', {
    config: { access: { resource: 'organization', access: 'read' } },
    schema: { tags: TAG, summary: 'Every tenant', response: { 200: z.object({ tenants: z.array(tenantSchema) }) } },
  }, async () => ({ tenants: (await tenants.list()).map((t) => ({ name: t.name, createdAtIso: toIso(t.createdAt) })) }));

  api.post('/api/v1/tenants', {
    config: { access: { resource: 'organization', access: 'write' } },
    schema: { tags: TAG, summary: 'Create a tenant (idempotent)', body: z.object({ name: tenantName }), response: { 201: tenantSchema } },
  }, async (request, reply) => {
    const tenant = await tenants.ensure(request.body.name);
    return reply.code(201).send({ name: tenant.name, createdAtIso: toIso(tenant.createdAt) });
  });

  api.delete('/api/v1/tenants/:name', {
    config: { access: { resource: 'organization', access: 'write' } },
    schema: { tags: TAG, summary: 'Delete a tenant (refused while it has deployments, agents or credentials)', params: z.object({ name: tenantName }), response: { 204: z.null() } },
  }, async (request, reply) => {
    if (!(await tenants.get(request.params.name))) throw new FerryNotFoundError(`no tenant ${request.params.name}`, { code: 'tenant_not_found' });
    await tenants.delete(request.params.name);
    return reply.code(204).send(null);
  });
}
