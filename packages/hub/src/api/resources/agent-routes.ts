import { z } from 'zod';
import { principalOf } from '../access.js';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { iso, toIso } from './resource-schemas.js';

export const agentSchema = z.object({
  identifier: z.string(),
  instanceId: z.string(),
  version: z.string(),
  hubReplica: z.string(),
  address: z.string(),
  connectedAtIso: iso,
  lastHeartbeatAtIso: iso,
  clusterRole: z.boolean(),
});

/** The Remote Network Agents connected for the tenant. */
export function registerAgentRoutes(api: ApiInstance, { ctx }: RouteDeps): void {
  api.get('/api/v1/agents', {
    config: { access: { resource: 'agentHub', access: 'read' } },
    schema: { tags: ['agents'], summary: "The tenant's connected agents", response: { 200: z.object({ agents: z.array(agentSchema) }) } },
  }, async (request) => ({
    agents: (await ctx.repositories.agents.list(principalOf(request).tenant)).map((a) => ({
      identifier: a.identifier,
      instanceId: a.instanceId,
      version: a.version,
      hubReplica: a.hubReplica,
      address: a.address,
      connectedAtIso: toIso(a.connectedAt),
      lastHeartbeatAtIso: toIso(a.lastHeartbeatAt),
      clusterRole: a.clusterRole,
    })),
  }));
}
