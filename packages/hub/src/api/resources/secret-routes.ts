import { FerryNotFoundError } from '@ferry/core';
import { z } from 'zod';
import { principalOf } from '../access.js';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { iso, toIso } from './resource-schemas.js';

const TAG = ['secrets'];
const secretName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'must be letters, digits, "_", "." or "-", starting with a letter or "_"');
const read = { access: { resource: 'secret', access: 'read' } } as const;
const write = { access: { resource: 'secret', access: 'write' } } as const;

export const secretEntrySchema = z.object({ name: z.string(), createdAtIso: iso, updatedAtIso: iso });

/** Write-only secrets: names and times can be read, values never leave the vault through the API. */
export function registerSecretRoutes(api: ApiInstance, { ctx }: RouteDeps): void {
  const vault = ctx.repositories.secrets;
  api.get('/api/v1/secrets', {
    config: read,
    schema: {
      tags: TAG,
      summary: "The tenant's secret names (never values)",
      response: { 200: z.object({ secrets: z.array(secretEntrySchema) }) },
    },
  }, async (request) => ({
    secrets: (await vault.list(principalOf(request).tenant)).map((s) => ({ name: s.name, createdAtIso: toIso(s.createdAt), updatedAtIso: toIso(s.updatedAt) })),
  }));

  api.put('/api/v1/secrets/:name', {
    config: write,
    // The body is never logged by the server; the value only goes into the vault.
    schema: { tags: TAG, summary: 'Create or replace a secret', params: z.object({ name: secretName }), body: z.object({ value: z.string().min(1).max(65_536) }), response: { 204: z.null() } },
  }, async (request, reply) => {
    await vault.put(principalOf(request).tenant, request.params.name, request.body.value);
    return reply.code(204).send(null);
  });

  api.delete('/api/v1/secrets/:name', {
    config: write,
    schema: { tags: TAG, summary: 'Delete a secret', params: z.object({ name: secretName }), response: { 204: z.null() } },
  }, async (request, reply) => {
    const tenant = principalOf(request).tenant;
    if (!(await vault.list(tenant)).some((s) => s.name === request.params.name)) {
      throw new FerryNotFoundError(`no secret ${request.params.name}`, { code: 'secret_not_found' });
    }
    await vault.delete(tenant, request.params.name);
    return reply.code(204).send(null);
  });
}
