import type { Kysely } from 'kysely';
import { z } from 'zod';
import { FerryNotFoundError } from '@ferry/core';
import type { SecretRecord, SecretVault } from '../contracts.js';
import type { HubTables } from '../db/schema.js';
import { parseInput, requireTenant, toMs } from '../db/sql-helpers.js';
import { tenantName } from '../db/validation.js';
import type { TenantKeyring } from './tenant-keyring.js';

const secretName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/, 'must be a letter or _ followed by letters, digits, "_", "." or "-"');
const putInput = z.object({
  tenant: tenantName,
  name: secretName,
  value: z.string().max(1_048_576, 'must be at most 1 MiB'),
});

/** The AAD: a ciphertext only opens under the tenant and name it was written for. */
function secretAad(tenant: string, name: string): string {
  return `ferry-secret:${tenant}:${name}`;
}

/** Write-only secrets (SecretVault), sealed per tenant by the TenantKeyring. */
export class SqlSecretVault implements SecretVault {
  readonly #db: Kysely<HubTables>;
  readonly #keyring: TenantKeyring;

  constructor(db: Kysely<HubTables>, keyring: TenantKeyring) {
    this.#db = db;
    this.#keyring = keyring;
  }

  async list(tenant: string): Promise<SecretRecord[]> {
    const rows = await this.#db
      .selectFrom('ferry_hub_secrets')
      .select(['tenant', 'name', 'created_at', 'updated_at'])
      .where('tenant', '=', tenant)
      .orderBy('name')
      .execute();
    return rows.map((row) => ({ tenant: row.tenant, name: row.name, createdAt: toMs(row.created_at), updatedAt: toMs(row.updated_at) }));
  }

  /** Creates or overwrites (rotates) the secret; a fresh IV every time. */
  async put(tenant: string, name: string, value: string): Promise<SecretRecord> {
    parseInput(putInput, { tenant, name, value }, 'secret');
    await requireTenant(this.#db, tenant);
    const sealed = await this.#keyring.seal(tenant, value, secretAad(tenant, name));
    const now = Date.now();
    const columns = { ciphertext: sealed.ciphertext, iv: sealed.iv, tag: sealed.tag, data_key_id: sealed.dataKeyId, updated_at: now };
    await this.#db
      .insertInto('ferry_hub_secrets')
      .values({ tenant, name, created_at: now, ...columns })
      .onConflict((oc) => oc.columns(['tenant', 'name']).doUpdateSet(columns))
      .execute();
    const row = await this.#db
      .selectFrom('ferry_hub_secrets')
      .select(['created_at', 'updated_at'])
      .where('tenant', '=', tenant)
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return { tenant, name, createdAt: toMs(row.created_at), updatedAt: toMs(row.updated_at) };
  }

  async delete(tenant: string, name: string): Promise<void> {
    const result = await this.#db.deleteFrom('ferry_hub_secrets').where('tenant', '=', tenant).where('name', '=', name).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound(tenant, name);
  }

  async reveal(tenant: string, name: string): Promise<string> {
    const row = await this.#db
      .selectFrom('ferry_hub_secrets')
      .selectAll()
      .where('tenant', '=', tenant)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw notFound(tenant, name);
    return this.#keyring.open(
      tenant,
      { ciphertext: row.ciphertext, iv: row.iv, tag: row.tag, dataKeyId: row.data_key_id },
      secretAad(tenant, name),
    );
  }
}

function notFound(tenant: string, name: string): FerryNotFoundError {
  return new FerryNotFoundError(`secret "${name}" not found in tenant "${tenant}"`, { code: 'secret_not_found' });
}
