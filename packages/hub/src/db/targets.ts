import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { FerryNotFoundError } from '@ferry/core';
import type { TargetRecord, TargetRepository } from '../contracts.js';
import type { HubTables, TargetsTable } from './schema.js';
import { parseInput, requireTenant, toMs } from './sql-helpers.js';
import { plainName, tenantName } from './validation.js';

const targetInput = z.object({ tenant: tenantName, name: plainName, kind: z.enum(['kubeconfig', 'agent']), ref: plainName });

function toRecord(row: Selectable<TargetsTable>): TargetRecord {
  return { tenant: row.tenant, name: row.name, kind: row.kind as TargetRecord['kind'], ref: row.ref, createdAt: toMs(row.created_at) };
}

export class SqlTargetRepository implements TargetRepository {
  readonly #db: Kysely<HubTables>;

  constructor(db: Kysely<HubTables>) {
    this.#db = db;
  }

  async list(tenant: string): Promise<TargetRecord[]> {
    const rows = await this.#db.selectFrom('ferry_hub_targets').selectAll().where('tenant', '=', tenant).orderBy('name').execute();
    return rows.map(toRecord);
  }

  async get(tenant: string, name: string): Promise<TargetRecord | null> {
    const row = await this.#db.selectFrom('ferry_hub_targets').selectAll().where('tenant', '=', tenant).where('name', '=', name).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Creates or re-points the target (createdAt is kept on replace). */
  async put(target: Omit<TargetRecord, 'createdAt'>): Promise<TargetRecord> {
    const valid = parseInput(targetInput, target, 'target');
    await requireTenant(this.#db, valid.tenant);
    await this.#db
      .insertInto('ferry_hub_targets')
      .values({ ...valid, created_at: Date.now() })
      .onConflict((oc) => oc.columns(['tenant', 'name']).doUpdateSet({ kind: valid.kind, ref: valid.ref }))
      .execute();
    return (await this.get(valid.tenant, valid.name)) as TargetRecord;
  }

  async delete(tenant: string, name: string): Promise<void> {
    const result = await this.#db.deleteFrom('ferry_hub_targets').where('tenant', '=', tenant).where('name', '=', name).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new FerryNotFoundError(`target "${name}" not found in tenant "${tenant}"`, { code: 'target_not_found' });
    }
  }
}
