import type { Kysely } from 'kysely';
import { z } from 'zod';
import { FerryNotFoundError } from '@ferry/core';
import type { IntegrationRecord, IntegrationRepository } from '../contracts.js';
import type { HubTables } from './schema.js';
import { parseInput, requireTenant, toMs } from './sql-helpers.js';
import { plainName, tenantName } from './validation.js';

const integrationInput = z.object({
  tenant: tenantName,
  type: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits or "-"'),
  name: plainName,
  settings: z.record(z.string(), z.unknown()),
});

export class SqlIntegrationRepository implements IntegrationRepository {
  readonly #db: Kysely<HubTables>;

  constructor(db: Kysely<HubTables>) {
    this.#db = db;
  }

  async list(tenant: string): Promise<IntegrationRecord[]> {
    const rows = await this.#db.selectFrom('ferry_hub_integrations').selectAll().where('tenant', '=', tenant).orderBy('type').orderBy('name').execute();
    return rows.map((row) => ({
      tenant: row.tenant,
      type: row.type,
      name: row.name,
      settings: JSON.parse(row.settings) as Record<string, unknown>,
      createdAt: toMs(row.created_at),
    }));
  }

  async get(tenant: string, type: string, name: string): Promise<IntegrationRecord | null> {
    const row = await this.#db
      .selectFrom('ferry_hub_integrations')
      .selectAll()
      .where('tenant', '=', tenant)
      .where('type', '=', type)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) return null;
    return { tenant: row.tenant, type: row.type, name: row.name, settings: JSON.parse(row.settings) as Record<string, unknown>, createdAt: toMs(row.created_at) };
  }

  /** Creates or replaces the settings (createdAt is kept on replace). */
  async put(integration: Omit<IntegrationRecord, 'createdAt'>): Promise<IntegrationRecord> {
    const valid = parseInput(integrationInput, integration, 'integration');
    await requireTenant(this.#db, valid.tenant);
    const settings = JSON.stringify(valid.settings);
    await this.#db
      .insertInto('ferry_hub_integrations')
      .values({ tenant: valid.tenant, type: valid.type, name: valid.name, settings, created_at: Date.now() })
      .onConflict((oc) => oc.columns(['tenant', 'type', 'name']).doUpdateSet({ settings }))
      .execute();
    return (await this.get(valid.tenant, valid.type, valid.name)) as IntegrationRecord;
  }

  async delete(tenant: string, type: string, name: string): Promise<void> {
    const result = await this.#db
      .deleteFrom('ferry_hub_integrations')
      .where('tenant', '=', tenant)
      .where('type', '=', type)
      .where('name', '=', name)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new FerryNotFoundError(`integration ${type}/${name} not found in tenant "${tenant}"`, { code: 'integration_not_found' });
    }
  }
}
