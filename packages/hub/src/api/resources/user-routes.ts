import { FerryNotFoundError } from '@ferry/core';
import { z } from 'zod';
import type { UserRecord } from '../../contracts.js';
import { principalOf } from '../access.js';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { checkRolesAssignable } from './assignable-grants.js';
import { iso, roleNamesSchema, toIso } from './resource-schemas.js';

const TAG = ['users'];
export const userSchema = z.object({ id: z.string(), email: z.string(), roles: z.array(z.string()), invited: z.boolean(), createdAtIso: iso });
const params = z.object({ id: z.string().min(1).max(200) });
const read = { access: { resource: 'user', access: 'read' } } as const;
const write = { access: { resource: 'user', access: 'write' } } as const;

/** The tenant's people: invitations, role assignment, removal. */
export function registerUserRoutes(api: ApiInstance, { ctx }: RouteDeps): void {
  const users = ctx.repositories.users;
  const owned = async (tenant: string, id: string): Promise<UserRecord> => {
    const found = await users.get(tenant, id);
    if (!found) throw new FerryNotFoundError(`no user ${id}`, { code: 'user_not_found' });
    return found;
  };

  api.get('/api/v1/users', {
    config: read,
    schema: { tags: TAG, summary: "The tenant's users", response: { 200: z.object({ users: z.array(userSchema) }) } },
  }, async (request) => ({ users: (await users.list(principalOf(request).tenant)).map(userPayload) }));

  api.post('/api/v1/users', {
    config: write,
    schema: {
      tags: TAG,
      summary: 'Invite a user; the invitation code is shown in this answer only',
      body: z.object({ email: z.string().max(254).email(), roles: roleNamesSchema.default([]) }),
      response: { 201: z.object({ user: userSchema, invitationCode: z.string().nullable() }) },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await checkRolesAssignable(ctx, principal, request.body.roles, 'body.roles');
    const { user, invitationCode } = await users.create({ tenant: principal.tenant, email: request.body.email, roles: request.body.roles });
    return reply.code(201).send({ user: userPayload(user), invitationCode: invitationCode ?? null });
  });

  api.patch('/api/v1/users/:id', {
    config: write,
    schema: { tags: TAG, summary: "Replace a user's roles", params, body: z.object({ roles: roleNamesSchema }), response: { 200: userSchema } },
  }, async (request) => {
    const principal = principalOf(request);
    const tenant = principal.tenant;
    await owned(tenant, request.params.id);
    await checkRolesAssignable(ctx, principal, request.body.roles, 'body.roles');
    return userPayload(await users.setRoles(tenant, request.params.id, request.body.roles));
  });

  api.delete('/api/v1/users/:id', {
    config: write,
    schema: { tags: TAG, summary: 'Remove a user', params, response: { 204: z.null() } },
  }, async (request, reply) => {
    const tenant = principalOf(request).tenant;
    await owned(tenant, request.params.id);
    await users.delete(tenant, request.params.id);
    return reply.code(204).send(null);
  });
}

function userPayload(user: UserRecord) {
  return { id: user.id, email: user.email, roles: [...user.roles], invited: user.invited, createdAtIso: toIso(user.createdAt) };
}
