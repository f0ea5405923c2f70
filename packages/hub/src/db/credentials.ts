import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { FerryNotFoundError } from '@ferry/core';
import type { CredentialRecord, CredentialRepository } from '../contracts.js';
import type { TenantKeyring } from '../secrets/tenant-keyring.js';
import type { CredentialsTable, HubTables } from './schema.js';
import { insertOrConflict, parseInput, parseJsonArray, requireTenant, toMs } from './sql-helpers.js';
import { plainName, roleNames, tenantName, tokenTtlSeconds } from './validation.js';

const createInput = z.object({ tenant: tenantName, name: plainName, roles: roleNames, tokenTtlSeconds: tokenTtlSeconds.nullable().optional() });

function toRecord(row: Selectable<CredentialsTable>): CredentialRecord {
  return {
    clientId: row.client_id,
    tenant: row.tenant,
    name: row.name,
    roles: parseJsonArray(row.roles),
    tokenTtlSeconds: row.token_ttl_seconds === null ? null : Number(row.token_ttl_seconds),
    createdAt: toMs(row.created_at),
  };
}

/** The AAD ties a sealed client secret to its client id. */
function secretAad(tenant: string, clientId: string): string {
  return `ferry-client-secret:${tenant}:${clientId}`;
}

/**
 * Machine credentials (OAuth clients for the client_credentials grant). The secret is sealed
 * with the tenant's data key rather than hashed because oidc-provider compares it itself.
 */
export class SqlCredentialRepository implements CredentialRepository {
  readonly #db: Kysely<HubTables>;
  readonly #keyring: TenantKeyring;

  constructor(db: Kysely<HubTables>, keyring: TenantKeyring) {
    this.#db = db;
    this.#keyring = keyring;
  }

  async list(tenant: string): Promise<CredentialRecord[]> {
    const rows = await this.#db.selectFrom('ferry_hub_credentials').selectAll().where('tenant', '=', tenant).orderBy('name').execute();
    return rows.map(toRecord);
  }

  async get(clientId: string): Promise<CredentialRecord | null> {
    const row = await this.#db.selectFrom('ferry_hub_credentials').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async create(input: { tenant: string; name: string; roles: string[]; tokenTtlSeconds?: number | null }): Promise<{ credential: CredentialRecord; clientSecret: string }> {
    const valid = parseInput(createInput, input, 'credential');
    await requireTenant(this.#db, valid.tenant);
    const clientId = `ferry-${randomBytes(12).toString('hex')}`;
    const clientSecret = randomBytes(32).toString('base64url');
    const sealed = await this.#keyring.seal(valid.tenant, clientSecret, secretAad(valid.tenant, clientId));
    const row = {
      client_id: clientId,
      tenant: valid.tenant,
      name: valid.name,
      roles: JSON.stringify([...new Set(valid.roles)]),
      secret_ciphertext: sealed.ciphertext,
      secret_iv: sealed.iv,
      secret_tag: sealed.tag,
      secret_data_key_id: sealed.dataKeyId,
      token_ttl_seconds: valid.tokenTtlSeconds ?? null,
      created_at: Date.now(),
    };
    await insertOrConflict(
      () => this.#db.insertInto('ferry_hub_credentials').values(row).execute(),
      `a credential named "${valid.name}" already exists in tenant "${valid.tenant}"`,
    );
    return { credential: toRecord(row), clientSecret };
  }

  async secretOf(clientId: string): Promise<string | null> {
    const row = await this.#db.selectFrom('ferry_hub_credentials').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    if (!row) return null;
    return this.#keyring.open(
      row.tenant,
      { ciphertext: row.secret_ciphertext, iv: row.secret_iv, tag: row.secret_tag, dataKeyId: row.secret_data_key_id },
      secretAad(row.tenant, row.client_id),
    );
  }

  async delete(tenant: string, clientId: string): Promise<void> {
    const result = await this.#db
      .deleteFrom('ferry_hub_credentials')
      .where('tenant', '=', tenant)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new FerryNotFoundError(`credential "${clientId}" not found in tenant "${tenant}"`, { code: 'credential_not_found' });
    }
  }
}
