import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { HubTables } from './schema.js';
import { insertOrConflict, parseInput, toMs } from './sql-helpers.js';
import { plainName, tenantName } from './validation.js';

/** `ferry_hub_previews` (migration 0002): one row per preview link; only the token's SHA-256 is kept. */
export interface PreviewsTable {
  token_hash: string;
  tenant: string;
  deployment_id: string;
  target: string;
  service: string;
  /** `namespace/service:port`, where the agent relays to. */
  upstream: string;
  agent: string;
  expires_at: number | string;
  created_at: number | string;
}

export interface PreviewTables extends HubTables {
  ferry_hub_previews: PreviewsTable;
}

export interface PreviewRecord {
  tokenHash: string;
  tenant: string;
  deploymentId: string;
  target: string;
  service: string;
  namespace: string;
  port: number;
  /** The agent identifier that reaches the target's cluster. */
  agent: string;
  expiresAt: number;
  createdAt: number;
}

const previewInput = z.object({
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'),
  tenant: tenantName,
  deploymentId: plainName,
  target: plainName,
  service: plainName,
  namespace: plainName,
  port: z.number().int().min(1).max(65535),
  agent: plainName,
  expiresAt: z.number().int().nonnegative(),
  createdAt: z.number().int().nonnegative(),
});

/** Preview links shared by every hub replica on the database. */
export class SqlPreviewRepository {
  readonly #db: Kysely<PreviewTables>;

  constructor(db: Kysely<HubTables>) {
    this.#db = db.withTables<{ ferry_hub_previews: PreviewsTable }>();
  }

  async create(record: PreviewRecord): Promise<void> {
    const valid = parseInput(previewInput, record, 'preview');
    await insertOrConflict(
      () =>
        this.#db
          .insertInto('ferry_hub_previews')
          .values({
            token_hash: valid.tokenHash,
            tenant: valid.tenant,
            deployment_id: valid.deploymentId,
            target: valid.target,
            service: valid.service,
            upstream: `${valid.namespace}/${valid.service}:${valid.port}`,
            agent: valid.agent,
            expires_at: valid.expiresAt,
            created_at: valid.createdAt,
          })
          .execute(),
      'a preview link with this token already exists',
    );
  }

  async findByTokenHash(tokenHash: string): Promise<PreviewRecord | undefined> {
    const row = await this.#db.selectFrom('ferry_hub_previews').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    if (!row) return undefined;
    const match = /^([^/]+)\/([^:]+):(\d+)$/.exec(row.upstream);
    return {
      tokenHash: row.token_hash,
      tenant: row.tenant,
      deploymentId: row.deployment_id,
      target: row.target,
      service: row.service,
      namespace: match?.[1] ?? '',
      port: Number(match?.[3] ?? 0),
      agent: row.agent,
      expiresAt: toMs(row.expires_at),
      createdAt: toMs(row.created_at),
    };
  }

  async listForDeployment(tenant: string, deploymentId: string): Promise<PreviewRecord[]> {
    const rows = await this.#db.selectFrom('ferry_hub_previews').select('token_hash').where('tenant', '=', tenant).where('deployment_id', '=', deploymentId).orderBy('created_at').execute();
    const records = await Promise.all(rows.map((row) => this.findByTokenHash(row.token_hash)));
    return records.filter((r): r is PreviewRecord => r !== undefined);
  }

  /** Deletes links expired before `before` (epoch ms); returns how many. */
  async deleteExpired(before: number): Promise<number> {
    const result = await this.#db.deleteFrom('ferry_hub_previews').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
