import {
  DEFAULT_TENANT,
  FerryConflictError,
  FerryNotFoundError,
  isActiveDeploymentStatus,
  isTerminalDeploymentStatus,
  tenantOf,
  type CreateResultV1,
  type DeploymentFilterV1,
  type DeploymentRecordV1,
  type DeploymentSpecV1,
  type DeploymentStateV1,
  type DeploymentSummaryV1,
  type EngineEventV1,
  type NewEventV1,
  type StoreV1,
  type UpdateResultV1,
} from '@ferry/core';
import { Redis, type RedisOptions } from 'ioredis';
import { redisMutex } from './redis-lock.js';

/** What the `rows` hash holds per deployment: everything but the spec and the events. */
interface Row {
  id: string;
  tenant: string;
  application: string;
  createdAt: number;
  state: DeploymentStateV1;
  lease?: { owner: string; expiresAt: number };
  /** Creation order, so equal timestamps still list deterministically. */
  order: number;
}

export interface RedisStoreOptions {
  /** A connection URL (`redis://127.0.0.1:6379/0`) or ioredis options. */
  redis: string | RedisOptions;
  /** Prefix of every key, so several platforms (or tests) share one Redis. Default `ferry:`. */
  keyPrefix?: string;
}

/**
 * A StoreV1 over Redis, the kind of store a platform that already runs Redis would write.
 *
 * Keys: `<prefix>rows` (hash id → row JSON), `<prefix>spec:<id>` (the spec, written once),
 * `<prefix>events:<id>` (a list; seq = position + 1), `<prefix>order` (a counter).
 * Every read-modify-write holds one Redis mutex and writes with MULTI, so the rules the
 * engine relies on (one active deployment per application, gapless event numbers, optimistic
 * versions, leases) hold across every engine process that shares the Redis. Reads take no
 * lock. Lists scan the `rows` hash: fine for thousands of deployments; a bigger platform
 * would keep sorted-set indexes beside it.
 */
export class RedisStore implements StoreV1 {
  readonly specificationVersion = 'v1' as const;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly withLock: ReturnType<typeof redisMutex>;

  constructor(options: RedisStoreOptions) {
    this.redis = typeof options.redis === 'string' ? new Redis(options.redis, { lazyConnect: false }) : new Redis(options.redis);
    this.prefix = options.keyPrefix ?? 'ferry:';
    this.withLock = redisMutex(this.redis, `${this.prefix}lock`);
  }

  private get rowsKey() {
    return `${this.prefix}rows`;
  }
  private specKey(id: string) {
    return `${this.prefix}spec:${id}`;
  }
  private eventsKey(id: string) {
    return `${this.prefix}events:${id}`;
  }

  async create(record: DeploymentRecordV1, options: { ifInProgress: 'reject' | 'enqueueOne'; now: number; events?: NewEventV1[] }): Promise<CreateResultV1> {
    return this.withLock(async () => {
      if (await this.redis.hexists(this.rowsKey, record.id)) throw new FerryConflictError(`deployment ${record.id} already exists`, { code: 'already_exists' });
      const tenant = tenantOf(record);
      const sameApp = (await this.rows()).filter((r) => r.tenant === tenant && r.application === record.application);
      const active = sameApp.find((r) => isActiveDeploymentStatus(r.state.status));
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
      const tx = this.redis.multi();
      // Only the newest request waits: older queued ones are dropped whether or not this one queues.
      const superseded: string[] = [];
      for (const queued of sameApp.filter((r) => r.state.status === 'QUEUED')) {
        const next: Row = { ...queued, state: { ...queued.state, status: 'REJECTED', reason: `superseded by deployment ${record.id}`, endedAt: options.now, version: queued.state.version + 1, updatedAt: options.now } };
        delete next.state.wakeAt;
        delete next.lease;
        tx.hset(this.rowsKey, queued.id, JSON.stringify(next));
        superseded.push(queued.id);
      }
      const order = await this.redis.incr(`${this.prefix}order`);
      const row: Row = { id: record.id, tenant, application: record.application, createdAt: record.createdAt, state, ...(record.lease ? { lease: { ...record.lease } } : {}), order };
      tx.hset(this.rowsKey, record.id, JSON.stringify(row));
      tx.set(this.specKey(record.id), JSON.stringify(record.spec));
      const events = (options.events ?? []).map((e, i) => ({ ...structuredClone(e), seq: i + 1 }));
      if (events.length > 0) tx.rpush(this.eventsKey(record.id), ...events.map((e) => JSON.stringify(e)));
      await exec(tx);
      return { record: { ...toSummary(row), spec: structuredClone(record.spec) }, superseded, events };
    });
  }

  async get(id: string): Promise<DeploymentRecordV1 | null> {
    const [row, spec] = await Promise.all([this.row(id), this.redis.get(this.specKey(id))]);
    if (!row || spec === null) return null;
    return { ...toSummary(row), spec: JSON.parse(spec) as DeploymentSpecV1 };
  }

  async list(filter: DeploymentFilterV1 = {}): Promise<DeploymentSummaryV1[]> {
    const statuses = filter.status ? new Set(filter.status) : undefined;
    return (await this.rows())
      .filter((r) => filter.tenant === undefined || r.tenant === filter.tenant)
      .filter((r) => (filter.application === undefined || r.application === filter.application) && (!statuses || statuses.has(r.state.status)))
      .sort((a, b) => b.createdAt - a.createdAt || b.order - a.order)
      .slice(0, filter.limit ?? 100)
      .map(toSummary);
  }

  async update(
    id: string,
    fn: (state: DeploymentStateV1) => UpdateResultV1 | void,
    options: { leaseOwner?: string; now?: number } = {},
  ): Promise<{ state: DeploymentStateV1; events: EngineEventV1[] }> {
    return this.withLock(async () => {
      const row = await this.mustGet(id);
      if (options.leaseOwner !== undefined && row.lease?.owner !== options.leaseOwner) {
        throw new FerryConflictError(`lease on deployment ${id} is not held by ${options.leaseOwner}`, { code: 'lease_lost', details: { deploymentId: id } });
      }
      const draft = structuredClone(row.state);
      const result = fn(draft) ?? {};
      if (result.noop) return { state: row.state, events: [] };
      draft.version = row.state.version + 1;
      const tx = this.redis.multi();
      tx.hset(this.rowsKey, id, JSON.stringify({ ...row, state: draft }));
      const events = await this.numbered(id, result.events ?? []);
      if (events.length > 0) tx.rpush(this.eventsKey(id), ...events.map((e) => JSON.stringify(e)));
      await exec(tx);
      return { state: draft, events };
    });
  }

  async appendEvent(event: NewEventV1): Promise<EngineEventV1> {
    return this.withLock(async () => {
      await this.mustGet(event.deploymentId);
      const [stored] = (await this.numbered(event.deploymentId, [event])) as [EngineEventV1];
      await this.redis.rpush(this.eventsKey(event.deploymentId), JSON.stringify(stored));
      return stored;
    });
  }

  async listEvents(id: string, options: { afterSeq?: number; limit?: number } = {}): Promise<EngineEventV1[]> {
    await this.mustGet(id);
    const start = options.afterSeq ?? 0;
    const stop = options.limit === undefined ? -1 : start + options.limit - 1;
    return (await this.redis.lrange(this.eventsKey(id), start, stop)).map((text) => JSON.parse(text) as EngineEventV1);
  }

  async claimLease(id: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    return this.withLock(async () => {
      const row = await this.mustGet(id);
      if (row.lease && row.lease.owner !== owner && row.lease.expiresAt > now) return false;
      await this.redis.hset(this.rowsKey, id, JSON.stringify({ ...row, lease: { owner, expiresAt: now + ttlMs } }));
      return true;
    });
  }

  async renewLease(id: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    return this.withLock(async () => {
      const row = await this.row(id);
      if (!row || row.lease?.owner !== owner) return false;
      await this.redis.hset(this.rowsKey, id, JSON.stringify({ ...row, lease: { owner, expiresAt: now + ttlMs } }));
      return true;
    });
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.withLock(async () => {
      const row = await this.row(id);
      if (row?.lease?.owner !== owner) return;
      delete row.lease;
      await this.redis.hset(this.rowsKey, id, JSON.stringify(row));
    });
  }

  async listClaimable(now: number, options: { owner?: string; limit?: number } = {}): Promise<string[]> {
    const rows = await this.rows();
    const appKey = (r: Row) => `${r.tenant}/${r.application}`;
    const activeApps = new Set(rows.filter((r) => isActiveDeploymentStatus(r.state.status)).map(appKey));
    return rows
      .filter((r) => !isTerminalDeploymentStatus(r.state.status))
      .filter((r) => !r.lease || r.lease.expiresAt <= now || (options.owner !== undefined && r.lease.owner === options.owner))
      .filter((r) => r.state.status !== 'QUEUED' || !activeApps.has(appKey(r)))
      .sort((a, b) => a.createdAt - b.createdAt || a.order - b.order)
      .slice(0, options.limit ?? 100)
      .map((r) => r.id);
  }

  async listDue(now: number, options: { limit?: number } = {}): Promise<Array<{ id: string; wakeAt: number; leaseOwner?: string }>> {
    const due: Array<{ id: string; wakeAt: number; leaseOwner?: string }> = [];
    for (const r of await this.rows()) {
      const wakeAt = r.state.wakeAt;
      if (wakeAt === undefined || wakeAt > now || isTerminalDeploymentStatus(r.state.status)) continue;
      due.push({ id: r.id, wakeAt, ...(r.lease && r.lease.expiresAt > now ? { leaseOwner: r.lease.owner } : {}) });
    }
    return due.sort((a, b) => a.wakeAt - b.wakeAt).slice(0, options.limit ?? 100);
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.redis.quit();
  }

  /** Deletes every key under the prefix (tests, or retiring a platform), then closes. */
  async destroy(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${escapeGlob(this.prefix)}*`, 'COUNT', 500);
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await this.redis.quit();
  }

  /** Numbers new events after the deployment's last one (call under the lock). */
  private async numbered(id: string, events: NewEventV1[]): Promise<EngineEventV1[]> {
    const last = await this.redis.llen(this.eventsKey(id));
    return events.map((e, i) => ({ ...structuredClone(e), seq: last + i + 1 }));
  }

  private async row(id: string): Promise<Row | null> {
    const text = await this.redis.hget(this.rowsKey, id);
    return text === null ? null : (JSON.parse(text) as Row);
  }

  private async mustGet(id: string): Promise<Row> {
    const row = await this.row(id);
    if (!row) throw new FerryNotFoundError(`no deployment ${id}`, { code: 'deployment_not_found' });
    return row;
  }

  private async rows(): Promise<Row[]> {
    return (await this.redis.hvals(this.rowsKey)).map((text) => JSON.parse(text) as Row);
  }
}

function toSummary(row: Row): DeploymentSummaryV1 {
  return {
    id: row.id,
    ...(row.tenant !== DEFAULT_TENANT ? { tenant: row.tenant } : {}),
    application: row.application,
    createdAt: row.createdAt,
    state: row.state,
    ...(row.lease ? { lease: { ...row.lease } } : {}),
  };
}

/** MULTI/EXEC, failing loudly if any command in it failed. */
async function exec(tx: ReturnType<Redis['multi']>): Promise<void> {
  const results = await tx.exec();
  const failed = results?.find(([error]) => error);
  if (!results || failed) throw failed?.[0] ?? new Error('the Redis transaction was aborted');
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
