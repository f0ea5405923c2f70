import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { FerryNotFoundError } from '@ferry/core';
import type { AgentRecord, AgentRepository } from '../contracts.js';
import type { AgentsTable, HubTables } from './schema.js';
import { parseInput, requireTenant, toMs } from './sql-helpers.js';
import { plainName, tenantName } from './validation.js';

const agentInput = z.object({
  identifier: plainName,
  tenant: tenantName,
  instanceId: plainName,
  version: z.string().max(253),
  hubReplica: z.string().max(253),
  address: z.string().max(253),
  connectedAt: z.number().int().nonnegative(),
  lastHeartbeatAt: z.number().int().nonnegative(),
  clusterRole: z.boolean(),
});

function toRecord(row: Selectable<AgentsTable>): AgentRecord {
  return {
    identifier: row.identifier,
    tenant: row.tenant,
    instanceId: row.instance_id,
    version: row.version,
    hubReplica: row.hub_replica,
    address: row.address,
    connectedAt: toMs(row.connected_at),
    lastHeartbeatAt: toMs(row.last_heartbeat_at),
    clusterRole: Number(row.cluster_role) === 1,
  };
}

/** The registry of connected Remote Network Agents, shared by every hub replica. */
export class SqlAgentRepository implements AgentRepository {
  readonly #db: Kysely<HubTables>;

  constructor(db: Kysely<HubTables>) {
    this.#db = db;
  }

  async list(tenant: string): Promise<AgentRecord[]> {
    const rows = await this.#db
      .selectFrom('ferry_hub_agents')
      .selectAll()
      .where('tenant', '=', tenant)
      .orderBy('identifier')
      .orderBy('instance_id')
      .execute();
    return rows.map(toRecord);
  }

  async upsert(agent: AgentRecord): Promise<void> {
    const valid = parseInput(agentInput, agent, 'agent');
    await requireTenant(this.#db, valid.tenant);
    const columns = {
      version: valid.version,
      hub_replica: valid.hubReplica,
      address: valid.address,
      connected_at: valid.connectedAt,
      last_heartbeat_at: valid.lastHeartbeatAt,
      cluster_role: valid.clusterRole ? 1 : 0,
    };
    await this.#db
      .insertInto('ferry_hub_agents')
      .values({ tenant: valid.tenant, identifier: valid.identifier, instance_id: valid.instanceId, ...columns })
      .onConflict((oc) => oc.columns(['tenant', 'identifier', 'instance_id']).doUpdateSet(columns))
      .execute();
  }

  async heartbeat(tenant: string, identifier: string, instanceId: string, at: number): Promise<void> {
    const result = await this.#db
      .updateTable('ferry_hub_agents')
      .set({ last_heartbeat_at: at })
      .where('tenant', '=', tenant)
      .where('identifier', '=', identifier)
      .where('instance_id', '=', instanceId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound(tenant, identifier, instanceId);
  }

  /** Idempotent: a disconnect racing a cleanup is not an error. */
  async remove(tenant: string, identifier: string, instanceId: string): Promise<void> {
    await this.#db
      .deleteFrom('ferry_hub_agents')
      .where('tenant', '=', tenant)
      .where('identifier', '=', identifier)
      .where('instance_id', '=', instanceId)
      .execute();
  }
}

function notFound(tenant: string, identifier: string, instanceId: string): FerryNotFoundError {
  return new FerryNotFoundError(`agent "${identifier}" (instance ${instanceId}) is not connected in tenant "${tenant}"`, { code: 'agent_not_found' });
}
