import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import {
  FerryConflictError,
  FerryNotFoundError,
  isActiveDeploymentStatus,
  isTerminalDeploymentStatus,
  DEPLOYMENT_STATUSES,
  DEFAULT_TENANT,
  tenantOf,
  type CreateResultV1,
  type DeploymentFilterV1,
  type DeploymentRecordV1,
  type DeploymentStateV1,
  type DeploymentSummaryV1,
  type EngineEventV1,
  type NewEventV1,
  type StoreV1,
  type UpdateResultV1,
} from '@ferry/core';
import { migrationProvider } from './migrations.js';
import type { FerryDatabase, SqlDialectName } from './schema.js';

type Db = Kysely<FerryDatabase>;
type Tx = Transaction<FerryDatabase>;

const TERMINAL = DEPLOYMENT_STATUSES.filter((s) => isTerminalDeploymentStatus(s));
const ACTIVE = DEPLOYMENT_STATUSES.filter((s) => isActiveDeploymentStatus(s));

/** PostgreSQL returns bigint columns as strings; epoch milliseconds fit a double exactly. */
function num(value: number | string): number;
function num(value: number | string | null): number | null;
function num(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

/**
 * StoreV1 over SQL through kysely: SQLite (the embedded default) and PostgreSQL (several hub
 * processes sharing work), one schema and one migration set. Semantics match
 * `MemoryStore` exactly; the shared conformance suite runs against all three.
 */
export class SqlStore implements StoreV1 {
  readonly specificationVersion = 'v1' as const;

  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialectName,
  ) {}

  /** Brings the schema up to date; safe to call from several processes at once. */
  async migrate(): Promise<void> {
    const migrator = new Migrator({
      db: this.db,
      provider: migrationProvider(this.dialect),
      migrationTableName: 'ferry_migrations',
      migrationLockTableName: 'ferry_migrations_lock',
    });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  }

  /** Closes the connections (the database file or pool). */
  async destroy(): Promise<void> {
    await this.db.destroy();
  }

  async create(
    record: DeploymentRecordV1,
    options: { ifInProgress: 'reject' | 'enqueueOne'; now: number; events?: NewEventV1[] },
  ): Promise<CreateResultV1> {
    return this.db.transaction().execute(async (tx) => {
      await this.lockApplication(tx, `${tenantOf(record)}/${record.application}`);
      const existing = await tx.selectFrom('ferry_deployments').select('id').where('id', '=', record.id).executeTakeFirst();
      if (existing) throw new FerryConflictError(`deployment ${record.id} already exists`, { code: 'already_exists' });

      const sameApp = await tx
        .selectFrom('ferry_deployments')
        .select(['id', 'status', 'state'])
        .where('tenant', '=', tenantOf(record))
        .where('application', '=', record.application)
        .where('status', 'in', [...ACTIVE, 'QUEUED'])
        .execute();
      const active = sameApp.find((r) => r.status !== 'QUEUED');
      const state = structuredClone(record.state);
      if (active) {
        if (options.ifInProgress === 'reject') {
          throw new FerryConflictError(`application "${record.application}" already has deployment ${active.id} in progress`, {
            code: 'deployment_in_progress',
            details: { application: record.application, deploymentId: active.id },
          });
        }
        state.status = 'QUEUED';
      }
      // Only the newest request waits: older queued ones are dropped whether or not this one queues.
      const superseded: string[] = [];
      for (const queued of sameApp.filter((r) => r.status === 'QUEUED')) {
        const old = JSON.parse(queued.state) as DeploymentStateV1;
        const next: DeploymentStateV1 = {
          ...old,
          status: 'REJECTED',
          reason: `superseded by deployment ${record.id}`,
          endedAt: options.now,
          version: old.version + 1,
          updatedAt: options.now,
        };
        delete next.wakeAt;
        await tx
          .updateTable('ferry_deployments')
          .set({ status: 'REJECTED', state: JSON.stringify(next), version: next.version, wake_at: null, lease_owner: null, lease_expires_at: null })
          .where('id', '=', queued.id)
          .execute();
        superseded.push(queued.id);
      }

      const ordinal = await tx
        .selectFrom('ferry_deployments')
        .select(sql<number | string>`coalesce(max(created_ordinal), 0) + 1`.as('next'))
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('ferry_deployments')
        .values({
          id: record.id,
          tenant: tenantOf(record),
          application: record.application,
          status: state.status,
          created_at: record.createdAt,
          created_ordinal: num(ordinal.next),
          wake_at: state.wakeAt ?? null,
          lease_owner: record.lease?.owner ?? null,
          lease_expires_at: record.lease?.expiresAt ?? null,
          version: state.version,
          spec: JSON.stringify(record.spec),
          state: JSON.stringify(state),
        })
        .execute();
      const events = await this.insertEvents(tx, record.id, 0, options.events ?? []);
      return { record: { ...structuredClone(record), state }, superseded, events };
    });
  }

  async get(id: string): Promise<DeploymentRecordV1 | null> {
    const row = await this.db.selectFrom('ferry_deployments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    return { ...toSummary(row), spec: JSON.parse(row.spec) as DeploymentRecordV1['spec'] };
  }

  async list(filter: DeploymentFilterV1 = {}): Promise<DeploymentSummaryV1[]> {
    let query = this.db
      .selectFrom('ferry_deployments')
      .select(['id', 'tenant', 'application', 'created_at', 'state', 'lease_owner', 'lease_expires_at'])
      .orderBy('created_at', 'desc')
      .orderBy('created_ordinal', 'desc')
      .limit(filter.limit ?? 100);
    if (filter.tenant !== undefined) query = query.where('tenant', '=', filter.tenant);
    if (filter.application !== undefined) query = query.where('application', '=', filter.application);
    if (filter.status) {
      if (filter.status.length === 0) return [];
      query = query.where('status', 'in', filter.status);
    }
    return (await query.execute()).map(toSummary);
  }

  async update(
    id: string,
    fn: (state: DeploymentStateV1) => UpdateResultV1 | void,
    options: { leaseOwner?: string; now?: number } = {},
  ): Promise<{ state: DeploymentStateV1; events: EngineEventV1[] }> {
    return this.db.transaction().execute(async (tx) => {
      const row = await this.lockDeployment(tx, id);
      if (options.leaseOwner !== undefined && row.lease_owner !== options.leaseOwner) {
        throw new FerryConflictError(`lease on deployment ${id} is not held by ${options.leaseOwner}`, {
          code: 'lease_lost',
          details: { deploymentId: id },
        });
      }
      const current = JSON.parse(row.state) as DeploymentStateV1;
      const draft = structuredClone(current);
      const result = fn(draft) ?? {};
      if (result.noop) return { state: current, events: [] };
      draft.version = current.version + 1;
      await tx
        .updateTable('ferry_deployments')
        .set({ state: JSON.stringify(draft), status: draft.status, wake_at: draft.wakeAt ?? null, version: draft.version })
        .where('id', '=', id)
        .execute();
      const events = await this.insertEvents(tx, id, row.last_seq, result.events ?? []);
      return { state: draft, events };
    });
  }

  async appendEvent(event: NewEventV1): Promise<EngineEventV1> {
    return this.db.transaction().execute(async (tx) => {
      const row = await this.lockDeployment(tx, event.deploymentId);
      const [stored] = await this.insertEvents(tx, event.deploymentId, row.last_seq, [event]);
      return stored as EngineEventV1;
    });
  }

  async listEvents(id: string, options: { afterSeq?: number; limit?: number } = {}): Promise<EngineEventV1[]> {
    const exists = await this.db.selectFrom('ferry_deployments').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists) throw notFound(id);
    let query = this.db
      .selectFrom('ferry_deployment_events')
      .selectAll()
      .where('deployment_id', '=', id)
      .where('seq', '>', options.afterSeq ?? 0)
      .orderBy('seq');
    if (options.limit !== undefined) query = query.limit(options.limit);
    return (await query.execute()).map((e) => ({
      seq: e.seq,
      deploymentId: e.deployment_id,
      type: e.type,
      at: num(e.at),
      ...(e.target !== null ? { target: e.target } : {}),
      ...(e.step_id !== null ? { stepId: e.step_id } : {}),
      data: JSON.parse(e.data) as EngineEventV1['data'],
    }));
  }

  async claimLease(id: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('ferry_deployments')
      .set({ lease_owner: owner, lease_expires_at: now + ttlMs })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_expires_at', '<=', now)]))
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) return true;
    const exists = await this.db.selectFrom('ferry_deployments').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists) throw notFound(id);
    return false;
  }

  async renewLease(id: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('ferry_deployments')
      .set({ lease_expires_at: now + ttlMs })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.db
      .updateTable('ferry_deployments')
      .set({ lease_owner: null, lease_expires_at: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  async listClaimable(now: number, options: { owner?: string; limit?: number } = {}): Promise<string[]> {
    const rows = await this.db
      .selectFrom('ferry_deployments as d')
      .select('d.id')
      .where('d.status', 'not in', TERMINAL)
      .where((eb) => {
        const free = [eb('d.lease_owner', 'is', null), eb('d.lease_expires_at', '<=', now)];
        if (options.owner !== undefined) free.push(eb('d.lease_owner', '=', options.owner));
        return eb.or(free);
      })
      .where((eb) =>
        eb.or([
          eb('d.status', '!=', 'QUEUED'),
          eb.not(
            eb.exists(
              eb
                .selectFrom('ferry_deployments as other')
                .select('other.id')
                .whereRef('other.tenant', '=', 'd.tenant')
                .whereRef('other.application', '=', 'd.application')
                .where('other.status', 'in', ACTIVE),
            ),
          ),
        ]),
      )
      .orderBy('d.created_at')
      .orderBy('d.created_ordinal')
      .limit(options.limit ?? 100)
      .execute();
    return rows.map((r) => r.id);
  }

  async listDue(now: number, options: { limit?: number } = {}): Promise<Array<{ id: string; wakeAt: number; leaseOwner?: string }>> {
    const rows = await this.db
      .selectFrom('ferry_deployments')
      .select(['id', 'wake_at', 'lease_owner', 'lease_expires_at'])
      .where('wake_at', 'is not', null)
      .where('wake_at', '<=', now)
      .where('status', 'not in', TERMINAL)
      .orderBy('wake_at')
      .limit(options.limit ?? 100)
      .execute();
    return rows.map((r) => {
      const live = r.lease_owner !== null && r.lease_expires_at !== null && num(r.lease_expires_at) > now;
      return { id: r.id, wakeAt: num(r.wake_at) as number, ...(live ? { leaseOwner: r.lease_owner as string } : {}) };
    });
  }

  /**
   * Serializes creations per application. The upsert is a write, so on SQLite it takes the
   * database's write lock at once (a read-then-write transaction could fail to upgrade);
   * on PostgreSQL `FOR UPDATE` then holds that application's row until commit.
   */
  private async lockApplication(tx: Tx, application: string): Promise<void> {
    await tx.insertInto('ferry_application_locks').values({ application }).onConflict((oc) => oc.column('application').doNothing()).execute();
    if (this.dialect === 'postgres') {
      await tx.selectFrom('ferry_application_locks').select('application').where('application', '=', application).forUpdate().execute();
    }
  }

  /** Locks one deployment row for a read-modify-write (same reasoning as lockApplication). */
  private async lockDeployment(tx: Tx, id: string) {
    if (this.dialect === 'sqlite') {
      await tx.updateTable('ferry_deployments').set({ version: sql`version` }).where('id', '=', id).execute();
    }
    let query = tx.selectFrom('ferry_deployments').select(['state', 'lease_owner', 'last_seq']).where('id', '=', id);
    if (this.dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) throw notFound(id);
    return row;
  }

  private async insertEvents(tx: Tx, deploymentId: string, lastSeq: number, events: NewEventV1[]): Promise<EngineEventV1[]> {
    if (events.length === 0) return [];
    const stored = events.map((e, i) => ({ ...structuredClone(e), deploymentId, seq: lastSeq + i + 1 }) as EngineEventV1);
    await tx
      .insertInto('ferry_deployment_events')
      .values(
        stored.map((e) => ({
          deployment_id: deploymentId,
          seq: e.seq,
          type: e.type,
          at: e.at,
          target: e.target ?? null,
          step_id: e.stepId ?? null,
          data: JSON.stringify(e.data),
        })),
      )
      .execute();
    await tx.updateTable('ferry_deployments').set({ last_seq: lastSeq + events.length }).where('id', '=', deploymentId).execute();
    return stored;
  }
}

function toSummary(row: {
  id: string;
  tenant: string;
  application: string;
  created_at: number | string;
  state: string;
  lease_owner: string | null;
  lease_expires_at: number | string | null;
}): DeploymentSummaryV1 {
  return {
    id: row.id,
    ...(row.tenant !== DEFAULT_TENANT ? { tenant: row.tenant } : {}),
    application: row.application,
    createdAt: num(row.created_at),
    state: JSON.parse(row.state) as DeploymentStateV1,
    ...(row.lease_owner !== null && row.lease_expires_at !== null
      ? { lease: { owner: row.lease_owner, expiresAt: num(row.lease_expires_at) } }
      : {}),
  };
}

function notFound(id: string): FerryNotFoundError {
  return new FerryNotFoundError(`no deployment ${id}`, { code: 'deployment_not_found' });
}
