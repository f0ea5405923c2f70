import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { FerryError } from '@ferry/core';
import type { HubTables } from '../db/schema.js';
import { isUniqueViolation } from '../db/sql-helpers.js';
import { open, seal, type Sealed } from './aes-gcm.js';

export interface TenantSealed extends Sealed {
  dataKeyId: string;
}

/**
 * Envelope encryption: each tenant has a random 32-byte data key, stored wrapped by the
 * master key (AES-256-GCM, AAD = the key's id and tenant). Values are sealed under the data
 * key with an AAD the caller chooses (e.g. tenant + secret name), so a ciphertext copied to
 * another row fails to open.
 */
export class TenantKeyring {
  readonly #db: Kysely<HubTables>;
  readonly #masterKey: Buffer;

  constructor(db: Kysely<HubTables>, masterKey: Buffer) {
    if (masterKey.length !== 32) throw new FerryError('master_key_invalid', 'the master key must be 32 bytes');
    this.#db = db;
    this.#masterKey = masterKey;
  }

  async seal(tenant: string, plaintext: string, aad: string): Promise<TenantSealed> {
    const { id, key } = await this.#dataKeyFor(tenant);
    return { ...seal(key, Buffer.from(plaintext, 'utf8'), aad), dataKeyId: id };
  }

  /** Throws FerryError `decryption_failed` (never the value) when the ciphertext does not open. */
  async open(tenant: string, sealed: TenantSealed, aad: string): Promise<string> {
    const key = await this.#dataKeyById(tenant, sealed.dataKeyId);
    try {
      return open(key, sealed, aad).toString('utf8');
    } catch {
      throw new FerryError('decryption_failed', `a sealed value of tenant "${tenant}" could not be decrypted (wrong key or moved ciphertext)`);
    }
  }

  /** Forgets the tenant's data key (its sealed values become unreadable). */
  async destroy(tenant: string): Promise<void> {
    await this.#db.deleteFrom('ferry_hub_data_keys').where('tenant', '=', tenant).execute();
  }

  async #dataKeyFor(tenant: string): Promise<{ id: string; key: Buffer }> {
    const existing = await this.#db.selectFrom('ferry_hub_data_keys').selectAll().where('tenant', '=', tenant).executeTakeFirst();
    if (existing) return { id: existing.id, key: this.#unwrap(existing) };
    const id = randomUUID();
    const key = randomBytes(32);
    const wrapped = seal(this.#masterKey, key, wrapAad(id, tenant));
    try {
      await this.#db
        .insertInto('ferry_hub_data_keys')
        .values({ id, tenant, wrapped_key: wrapped.ciphertext, iv: wrapped.iv, tag: wrapped.tag, created_at: Date.now() })
        .execute();
      return { id, key };
    } catch (error) {
      // Another replica created the tenant's key first: use theirs.
      if (!isUniqueViolation(error)) throw error;
      return this.#dataKeyFor(tenant);
    }
  }

  async #dataKeyById(tenant: string, id: string): Promise<Buffer> {
    const row = await this.#db
      .selectFrom('ferry_hub_data_keys')
      .selectAll()
      .where('id', '=', id)
      .where('tenant', '=', tenant)
      .executeTakeFirst();
    if (!row) throw new FerryError('decryption_failed', `tenant "${tenant}" has no such data key`);
    return this.#unwrap(row);
  }

  #unwrap(row: { id: string; tenant: string; wrapped_key: string; iv: string; tag: string }): Buffer {
    try {
      return open(this.#masterKey, { ciphertext: row.wrapped_key, iv: row.iv, tag: row.tag }, wrapAad(row.id, row.tenant));
    } catch {
      throw new FerryError('decryption_failed', `the data key of tenant "${row.tenant}" does not open with this master key`);
    }
  }
}

function wrapAad(id: string, tenant: string): string {
  return `ferry-data-key:${tenant}:${id}`;
}
