import type { Kysely } from 'kysely';
import { z } from 'zod';
import { FerryNotFoundError } from '@ferry/core';
import type { Grant, RoleRecord, RoleRepository } from '../contracts.js';
import type { HubTables } from './schema.js';
import { parseInput, requireTenant } from './sql-helpers.js';
import { grantsSchema, plainName, tenantName } from './validation.js';

const roleInput = z.object({ tenant: tenantName, name: plainName, grants: grantsSchema });
const rolesInput = z
  .array(z.object({ name: plainName, grants: grantsSchema }))
  .refine((roles) => new Set(roles.map((r) => r.name)).size === roles.length, 'role names must be unique');

function parseGrants(text: string): Grant[] {
  const parsed = grantsSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : [];
}

export class SqlRoleRepository implements RoleRepository {
  readonly #db: Kysely<HubTables>;

  constructor(db: Kysely<HubTables>) {
    this.#db = db;
  }

  async list(tenant: string): Promise<RoleRecord[]> {
    const rows = await this.#db.selectFrom('ferry_hub_roles').selectAll().where('tenant', '=', tenant).orderBy('name').execute();
    return rows.map((row) => ({ tenant: row.tenant, name: row.name, grants: parseGrants(row.grants) }));
  }

  async replaceAll(tenant: string, roles: Array<Omit<RoleRecord, 'tenant'>>): Promise<RoleRecord[]> {
    parseInput(tenantName, tenant, 'tenant');
    const valid = parseInput(rolesInput, roles, 'roles');
    await requireTenant(this.#db, tenant);
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('ferry_hub_roles').where('tenant', '=', tenant).execute();
      if (valid.length > 0) {
        await trx
          .insertInto('ferry_hub_roles')
          .values(valid.map((role) => ({ tenant, name: role.name, grants: JSON.stringify(role.grants) })))
          .execute();
      }
    });
    return this.list(tenant);
  }

  /** Creates or replaces one role. */
  async put(role: RoleRecord): Promise<RoleRecord> {
    const valid = parseInput(roleInput, role, 'role');
    await requireTenant(this.#db, valid.tenant);
    const grants = JSON.stringify(valid.grants);
    await this.#db
      .insertInto('ferry_hub_roles')
      .values({ tenant: valid.tenant, name: valid.name, grants })
      .onConflict((oc) => oc.columns(['tenant', 'name']).doUpdateSet({ grants }))
      .execute();
    return { tenant: valid.tenant, name: valid.name, grants: valid.grants };
  }

  async delete(tenant: string, name: string): Promise<void> {
    const result = await this.#db.deleteFrom('ferry_hub_roles').where('tenant', '=', tenant).where('name', '=', name).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new FerryNotFoundError(`role "${name}" not found in tenant "${tenant}"`, { code: 'role_not_found' });
    }
  }

  async grantsOf(tenant: string, roles: string[]): Promise<Grant[]> {
    if (roles.length === 0) return [];
    const rows = await this.#db
      .selectFrom('ferry_hub_roles')
      .select('grants')
      .where('tenant', '=', tenant)
      .where('name', 'in', [...new Set(roles)])
      .execute();
    const union = new Map<string, Grant>();
    for (const row of rows) {
      for (const grant of parseGrants(row.grants)) union.set(`${grant.type}/${grant.resource}/${grant.permission}`, grant);
    }
    return [...union.values()];
  }
}
