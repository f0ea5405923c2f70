import { FerryNotFoundError } from '@ferry/core';
import { z } from 'zod';
import type { CredentialRecord } from '../../contracts.js';
import { principalOf } from '../access.js';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { tokenTtlSeconds } from '../../db/validation.js';
import { checkRolesAssignable } from './assignable-grants.js';
import { iso, roleNamesSchema, toIso } from './resource-schemas.js';

const TAG = ['credentials'];
export const credentialSchema = z.object({
  clientId: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  tokenTtlSeconds: z.number().int().nullable().describe("How long the credential's access tokens last (seconds); null: the hub's default"),
  createdAtIso: iso,
});
const params = z.object({ clientId: z.string().min(1).max(200) });
const read = { access: { resource: 'credential', access: 'read' } } as const;
const write = { access: { resource: 'credential', access: 'write' } } as const;

/** Machine credentials (OAuth client-credentials clients). The secret is answered once, at creation. */
export function registerCredentialRoutes(api: ApiInstance, { ctx }: RouteDeps): void {
  const credentials = ctx.repositories.credentials;
  api.get('/api/v1/credentials', {
    config: read,
    schema: { tags: TAG, summary: "The tenant's credentials (never their secrets)", response: { 200: z.object({ credentials: z.array(credentialSchema) }) } },
  }, async (request) => ({ credentials: (await credentials.list(principalOf(request).tenant)).map(credentialPayload) }));

  api.get('/api/v1/credentials/:clientId', {
    config: read,
    schema: { tags: TAG, summary: 'One credential (never its secret)', params, response: { 200: credentialSchema } },
  }, async (request) => credentialPayload(await ownedCredential(request.params.clientId, principalOf(request).tenant)));

  api.post('/api/v1/credentials', {
    config: write,
    schema: {
      tags: TAG,
      summary: 'Create a credential; its secret is shown in this answer only',
      body: z.object({
        name: z.string().min(1).max(253),
        roles: roleNamesSchema.default([]),
        tokenTtlSeconds: tokenTtlSeconds
          .optional()
          .describe("The lifetime of this credential's access tokens (60 s to 365 days), for callers that cannot refresh one, such as Spinnaker's webhook stages; the hub's default when absent. Deleting the credential revokes its tokens."),
      }),
      response: { 201: credentialSchema.extend({ clientSecret: z.string() }) },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await checkRolesAssignable(ctx, principal, request.body.roles, 'body.roles');
    const { credential, clientSecret } = await credentials.create({ tenant: principal.tenant, name: request.body.name, roles: request.body.roles, tokenTtlSeconds: request.body.tokenTtlSeconds ?? null });
    return reply.code(201).send({ ...credentialPayload(credential), clientSecret });
  });

  api.delete('/api/v1/credentials/:clientId', {
    config: write,
    schema: { tags: TAG, summary: 'Delete a credential (its tokens stop working)', params, response: { 204: z.null() } },
  }, async (request, reply) => {
    const tenant = principalOf(request).tenant;
    await ownedCredential(request.params.clientId, tenant);
    await credentials.delete(tenant, request.params.clientId);
    return reply.code(204).send(null);
  });

  async function ownedCredential(clientId: string, tenant: string): Promise<CredentialRecord> {
    const found = await credentials.get(clientId);
    if (!found || found.tenant !== tenant) throw new FerryNotFoundError(`no credential ${clientId}`, { code: 'credential_not_found' });
    return found;
  }
}

function credentialPayload(credential: CredentialRecord) {
  return { clientId: credential.clientId, name: credential.name, roles: [...credential.roles], tokenTtlSeconds: credential.tokenTtlSeconds, createdAtIso: toIso(credential.createdAt) };
}
