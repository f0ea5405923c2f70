import { FerryNotFoundError } from '@ferry/core';
import { z } from 'zod';
import type { IntegrationRecord } from '../../contracts.js';
import { principalOf } from '../access.js';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { iso, nameParam, toIso } from './resource-schemas.js';

const TAG = ['integrations'];
export const integrationSchema = z.object({ type: z.string(), name: z.string(), settings: z.record(z.string(), z.unknown()), createdAtIso: iso });
const params = z.object({ type: nameParam, name: nameParam });
const read = { access: { resource: 'integration', access: 'read' } } as const;
const write = { access: { resource: 'integration', access: 'write' } } as const;

/** Metric providers and other integrations. Settings are not secret: secret ones are `{{secrets.NAME}}` references. */
export function registerIntegrationRoutes(api: ApiInstance, { ctx }: RouteDeps): void {
  const integrations = ctx.repositories.integrations;
  const mustGet = async (tenant: string, type: string, name: string): Promise<IntegrationRecord> => {
    const found = await integrations.get(tenant, type, name);
    if (!found) throw new FerryNotFoundError(`no ${type} integration ${name}`, { code: 'integration_not_found' });
    return found;
  };

  api.get('/api/v1/integrations', {
    config: read,
    schema: { tags: TAG, summary: "The tenant's integrations", response: { 200: z.object({ integrations: z.array(integrationSchema) }) } },
  }, async (request) => ({ integrations: (await integrations.list(principalOf(request).tenant)).map(integrationPayload) }));

  api.get('/api/v1/integrations/:type/:name', {
    config: read,
    schema: { tags: TAG, summary: 'One integration', params, response: { 200: integrationSchema } },
  }, async (request) => integrationPayload(await mustGet(principalOf(request).tenant, request.params.type, request.params.name)));

  api.put('/api/v1/integrations/:type/:name', {
    config: write,
    schema: {
      tags: TAG,
      summary: 'Create or replace an integration',
      params,
      body: z.object({ settings: z.record(z.string(), z.unknown()).describe('Non-secret settings (URL, site...); reference secrets as {{secrets.NAME}}') }),
      response: { 200: integrationSchema },
    },
  }, async (request) =>
    integrationPayload(await integrations.put({ tenant: principalOf(request).tenant, type: request.params.type, name: request.params.name, settings: request.body.settings })));

  api.delete('/api/v1/integrations/:type/:name', {
    config: write,
    schema: { tags: TAG, summary: 'Delete an integration', params, response: { 204: z.null() } },
  }, async (request, reply) => {
    const tenant = principalOf(request).tenant;
    await mustGet(tenant, request.params.type, request.params.name);
    await integrations.delete(tenant, request.params.type, request.params.name);
    return reply.code(204).send(null);
  });

  api.post('/api/v1/integrations/:type/:name/test', {
    config: write,
    schema: { tags: TAG, summary: "Try an integration's settings against its API", params, response: { 200: z.object({ ok: z.boolean(), message: z.string() }) } },
  }, async (request) => {
    const tenant = principalOf(request).tenant;
    const integration = await mustGet(tenant, request.params.type, request.params.name);
    return ctx.testIntegration(integration, tenant);
  });
}

function integrationPayload(integration: IntegrationRecord) {
  return { type: integration.type, name: integration.name, settings: integration.settings, createdAtIso: toIso(integration.createdAt) };
}
