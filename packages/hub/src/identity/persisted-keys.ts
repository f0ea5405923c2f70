import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { FerryError } from '@ferry/core';
import type { HubTables } from '../db/schema.js';
import { isUniqueViolation } from '../db/sql-helpers.js';
import { open, seal, type Sealed } from '../secrets/aes-gcm.js';

/** Rows of `ferry_hub_oidc` that are the hub's own, not oidc-provider's. */
const KEYS_MODEL = 'FerryKeys';

export interface SigningKeys {
  /** Private JWKs for oidc-provider. */
  privateJwks: { keys: JWK[] };
  /** The same keys without private parts, for the in-process verifier. */
  publicJwks: { keys: JWK[] };
}

/**
 * The signing keys, generated on the first start and kept in the database so every hub
 * replica on it signs and verifies with the same keys. Sealed with the master key when one
 * is given. Two replicas starting at once: the first insert wins, the other reads it back.
 */
export async function loadOrCreateSigningKeys(db: Kysely<HubTables>, masterKey?: Buffer): Promise<SigningKeys> {
  const privateJwks = await loadOrCreate(db, 'signing', masterKey, async () => {
    const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const jwk = await exportJWK(privateKey);
    return { keys: [{ ...jwk, kid: randomBytes(12).toString('base64url'), alg: 'RS256', use: 'sig' }] };
  });
  const publicJwks = {
    keys: privateJwks.keys.map(({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use })),
  };
  return { privateJwks, publicJwks };
}

/** Keys for oidc-provider's signed cookies, shared by the replicas like the signing keys. */
export async function loadOrCreateCookieKeys(db: Kysely<HubTables>, masterKey?: Buffer): Promise<string[]> {
  const stored = await loadOrCreate(db, 'cookies', masterKey, async () => ({ keys: [randomBytes(32).toString('base64url')] }));
  return stored.keys;
}

async function loadOrCreate<T extends { keys: unknown[] }>(
  db: Kysely<HubTables>,
  id: string,
  masterKey: Buffer | undefined,
  create: () => Promise<T>,
): Promise<T> {
  const existing = await read<T>(db, id, masterKey);
  if (existing) return existing;
  const fresh = await create();
  const text = JSON.stringify(fresh);
  const payload = masterKey ? JSON.stringify({ sealed: seal(masterKey, Buffer.from(text, 'utf8'), aad(id)) }) : text;
  try {
    await db.insertInto('ferry_hub_oidc').values({ model: KEYS_MODEL, id, payload, expires_at: null, grant_id: null, user_code: null, uid: null, consumed_at: null }).execute();
    return fresh;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return (await read<T>(db, id, masterKey)) as T;
  }
}

async function read<T>(db: Kysely<HubTables>, id: string, masterKey: Buffer | undefined): Promise<T | undefined> {
  const row = await db.selectFrom('ferry_hub_oidc').select('payload').where('model', '=', KEYS_MODEL).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const parsed = JSON.parse(row.payload) as { sealed?: Sealed } & T;
  if (!parsed.sealed) return parsed;
  if (!masterKey) throw new FerryError('master_key_missing', `the hub's ${id} keys are sealed; the master key is needed to read them`);
  try {
    return JSON.parse(open(masterKey, parsed.sealed, aad(id)).toString('utf8')) as T;
  } catch {
    throw new FerryError('decryption_failed', `the hub's ${id} keys do not open with this master key`);
  }
}

function aad(id: string): string {
  return `ferry-oidc-keys:${id}`;
}
