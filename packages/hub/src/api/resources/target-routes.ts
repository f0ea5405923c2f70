import { FerryNotFoundError } from '@ferry/core';
import { z } from 'zod';
import type { TargetRecord } from '../../contracts.js';
import { principalOf } from '../access.js';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { iso, nameParam, toIso } from './resource-schemas.js';

const TAG = ['targets'];
export const targetSchema = z.object({ name: z.string(), kind: z.enum(['kubeconfig', 'agent']), ref: z.string(), createdAtIso: iso });
const read = { access: { resource: 'target', access: 'read' } } as const;
const write = { access: { resource: 'target', access: 'write' } } as const;

/** Deployment targets: the `account` names deploy files use, and what serves each. */
export function registerTargetRoutes(api: ApiInstance, { ctx }: RouteDeps): void {
  const targets = ctx.repositories.targets;
  api.get('/api/v1/targets', {
    config: read,
    schema: { tags: TAG, summary: "The tenant's targets", response: { 200: z.object({ targets: z.array(targetSchema) }) } },
  }, async (request) => ({ targets: (await targets.list(principalOf(request).tenant)).map(targetPayload) }));

  api.get('/api/v1/targets/:name', {
    config: read,
    schema: { tags: TAG, summary: 'One target', params: z.object({ name: nameParam }), response: { 200: targetSchema } },
  }, async (request) => {
    const found = await targets.get(principalOf(request).tenant, request.params.name);
    if (!found) throw new FerryNotFoundError(`no target ${request.params.name}`, { code: 'target_not_found' });
    return targetPayload(found);
  });

  api.put('/api/v1/targets/:name', {
    config: write,
    schema: {
      tags: TAG,
      summary: 'Create or replace a target',
      params: z.object({ name: nameParam }),
      body: z.object({
        kind: z.enum(['kubeconfig', 'agent']).describe('kubeconfig: a context of the hub; agent: a Remote Network Agent'),
        ref: z.string().min(1).max(253).describe('The context name or the agent identifier'),
      }),
      response: { 200: targetSchema },
    },
  }, async (request) => targetPayload(await targets.put({ tenant: principalOf(request).tenant, name: request.params.name, ...request.body })));

  api.delete('/api/v1/targets/:name', {
    config: write,
    schema: { tags: TAG, summary: 'Delete a target', params: z.object({ name: nameParam }), response: { 204: z.null() } },
  }, async (request, reply) => {
    const tenant = principalOf(request).tenant;
    if (!(await targets.get(tenant, request.params.name))) throw new FerryNotFoundError(`no target ${request.params.name}`, { code: 'target_not_found' });
    await targets.delete(tenant, request.params.name);
    return reply.code(204).send(null);
  });
}

function targetPayload(target: TargetRecord) {
  return { name: target.name, kind: target.kind, ref: target.ref, createdAtIso: toIso(target.createdAt) };
}
