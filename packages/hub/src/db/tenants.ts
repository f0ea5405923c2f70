import type { Kysely } from 'kysely';
import { FerryConflictError, FerryNotFoundError } from '@ferry/core';
import type { TenantRecord, TenantRepository } from '../contracts.js';
import type { TenantKeyring } from '../secrets/tenant-keyring.js';
import type { HubTables } from './schema.js';
import { isUniqueViolation, parseInput, toMs } from './sql-helpers.js';
import { tenantName } from './validation.js';

export class SqlTenantRepository implements TenantRepository {
  readonly #db: Kysely<HubTables>;
  readonly #keyring: TenantKeyring;
  readonly #hasDeployments: (tenant: string) => Promise<boolean>;

  constructor(db: Kysely<HubTables>, keyring: TenantKeyring, hasDeployments: (tenant: string) => Promise<boolean>) {
    this.#db = db;
    this.#keyring = keyring;
    this.#hasDeployments = hasDeployments;
  }

  async list(): Promise<TenantRecord[]> {
    const rows = await this.#db.selectFrom('ferry_hub_tenants').selectAll().orderBy('name').execute();
    return rows.map((row) => ({ name: row.name, createdAt: toMs(row.created_at) }));
  }

  async get(name: string): Promise<TenantRecord | null> {
    const row = await this.#db.selectFrom('ferry_hub_tenants').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? { name: row.name, createdAt: toMs(row.created_at) } : null;
  }

  async ensure(name: string): Promise<TenantRecord> {
    parseInput(tenantName, name, 'tenant');
    const existing = await this.get(name);
    if (existing) return existing;
    try {
      await this.#db.insertInto('ferry_hub_tenants').values({ name, created_at: Date.now() }).execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // created concurrently: fine, it is idempotent
    }
    return (await this.get(name)) as TenantRecord;
  }

  /** Refused while anything still acts in the tenant; otherwise removes its configuration too. */
  async delete(name: string): Promise<void> {
    if (!(await this.get(name))) throw new FerryNotFoundError(`tenant "${name}" not found`, { code: 'tenant_not_found' });
    const busy: string[] = [];
    if (await this.#count('ferry_hub_credentials', name)) busy.push('credentials');
    if (await this.#count('ferry_hub_agents', name)) busy.push('agents');
    if (await this.#hasDeployments(name)) busy.push('deployments');
    if (busy.length > 0) {
      throw new FerryConflictError(`tenant "${name}" still has ${busy.join(', ')}; remove them first`, { code: 'tenant_in_use' });
    }
    await this.#db.transaction().execute(async (trx) => {
      for (const table of ['ferry_hub_users', 'ferry_hub_roles', 'ferry_hub_secrets', 'ferry_hub_integrations', 'ferry_hub_targets'] as const) {
        await trx.deleteFrom(table).where('tenant', '=', name).execute();
      }
      await trx.deleteFrom('ferry_hub_tenants').where('name', '=', name).execute();
    });
    await this.#keyring.destroy(name);
  }

  async #count(table: 'ferry_hub_credentials' | 'ferry_hub_agents', tenant: string): Promise<number> {
    const row = await this.#db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('tenant', '=', tenant)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }
}
