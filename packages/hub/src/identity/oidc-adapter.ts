import type { Kysely } from 'kysely';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { HubTables } from '../db/schema.js';
import { toMs } from '../db/sql-helpers.js';

/** How often (at most) expired rows are swept, per process. */
const PURGE_INTERVAL_MS = 60_000;
let lastPurgeAt = 0;

/**
 * oidc-provider's storage in one generic table, `ferry_hub_oidc`, shared by every hub
 * replica on the database: sessions, interactions, grants, codes, device codes, tokens.
 * Expired rows are invisible to `find*` and swept from time to time.
 */
export class SqlOidcAdapter implements Adapter {
  readonly #db: Kysely<HubTables>;
  readonly #model: string;

  constructor(db: Kysely<HubTables>, model: string) {
    this.#db = db;
    this.#model = model;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const columns = {
      payload: JSON.stringify(payload),
      expires_at: expiresIn ? Date.now() + expiresIn * 1000 : null,
      grant_id: payload.grantId ?? null,
      user_code: payload.userCode ?? null,
      uid: payload.uid ?? null,
      consumed_at: null,
    };
    await this.#db
      .insertInto('ferry_hub_oidc')
      .values({ model: this.#model, id, ...columns })
      .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(columns))
      .execute();
    await this.#purgeExpiredNowAndThen();
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere('id', id);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere('user_code', userCode);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere('uid', uid);
  }

  async consume(id: string): Promise<void> {
    await this.#db
      .updateTable('ferry_hub_oidc')
      .set({ consumed_at: Math.floor(Date.now() / 1000) })
      .where('model', '=', this.#model)
      .where('id', '=', id)
      .execute();
  }

  async destroy(id: string): Promise<void> {
    await this.#db.deleteFrom('ferry_hub_oidc').where('model', '=', this.#model).where('id', '=', id).execute();
  }

  /** Revoking a grant removes everything issued under it, whatever the model. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.#db.deleteFrom('ferry_hub_oidc').where('grant_id', '=', grantId).execute();
  }

  async #findWhere(column: 'id' | 'user_code' | 'uid', value: string): Promise<AdapterPayload | undefined> {
    const now = Date.now();
    const row = await this.#db
      .selectFrom('ferry_hub_oidc')
      .select(['payload', 'consumed_at'])
      .where('model', '=', this.#model)
      .where(column, '=', value)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirst();
    if (!row) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    return row.consumed_at === null ? payload : { ...payload, consumed: toMs(row.consumed_at) };
  }

  async #purgeExpiredNowAndThen(): Promise<void> {
    const now = Date.now();
    if (now - lastPurgeAt < PURGE_INTERVAL_MS) return;
    lastPurgeAt = now;
    await this.#db.deleteFrom('ferry_hub_oidc').where('expires_at', 'is not', null).where('expires_at', '<=', now).execute();
  }
}
