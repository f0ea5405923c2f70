import { FerryConflictError, FerryNotFoundError } from '../errors/index.js';
import type { EngineEventV1 } from '../plugins/contracts.js';
import type {
  CreateResultV1,
  DeploymentFilterV1,
  DeploymentRecordV1,
  DeploymentStateV1,
  DeploymentSummaryV1,
  NewEventV1,
  StoreV1,
  UpdateResultV1,
} from '../store/contracts.js';
import { DEFAULT_TENANT, tenantOf } from '../store/contracts.js';
import { isActiveDeploymentStatus, isTerminalDeploymentStatus } from '../store/statuses.js';

interface Row {
  id: string;
  tenant: string;
  application: string;
  createdAt: number;
  /** Written once; cloned on the way in and out. */
  spec: DeploymentRecordV1['spec'];
  state: DeploymentStateV1;
  lease?: { owner: string; expiresAt: number };
  events: EngineEventV1[];
  /** Creation order, so equal timestamps still list deterministically. */
  order: number;
}

/**
 * StoreV1 in memory, for tests and benchmarks. Every value is structuredClone'd on the way
 * in and out so no caller shares a reference with the store (as with a real database).
 * Each method completes in one synchronous step, which makes it trivially atomic.
 */
export class MemoryStore implements StoreV1 {
  readonly specificationVersion = 'v1' as const;
  private readonly rows = new Map<string, Row>();
  private created = 0;

  async create(record: DeploymentRecordV1, options: { ifInProgress: 'reject' | 'enqueueOne'; now: number; events?: NewEventV1[] }): Promise<CreateResultV1> {
    if (this.rows.has(record.id)) throw new FerryConflictError(`deployment ${record.id} already exists`, { code: 'already_exists' });
    const sameApp = [...this.rows.values()].filter((r) => r.tenant === tenantOf(record) && r.application === record.application);
    const active = sameApp.find((r) => isActiveDeploymentStatus(r.state.status));
    const state = structuredClone(record.state);
    const superseded: string[] = [];
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
    for (const queued of sameApp.filter((r) => r.state.status === 'QUEUED')) {
      queued.state = { ...queued.state, status: 'REJECTED', reason: `superseded by deployment ${record.id}`, endedAt: options.now, version: queued.state.version + 1, updatedAt: options.now };
      delete queued.state.wakeAt;
      delete queued.lease;
      superseded.push(queued.id);
    }
    const row: Row = {
      id: record.id,
      tenant: tenantOf(record),
      application: record.application,
      createdAt: record.createdAt,
      spec: structuredClone(record.spec),
      state,
      ...(record.lease ? { lease: { ...record.lease } } : {}),
      events: [],
      order: this.created++,
    };
    this.rows.set(record.id, row);
    const events = (options.events ?? []).map((e) => this.push(row, e));
    return { record: this.toRecord(row), superseded, events: structuredClone(events) };
  }

  async get(id: string): Promise<DeploymentRecordV1 | null> {
    const row = this.rows.get(id);
    return row ? this.toRecord(row) : null;
  }

  async list(filter: DeploymentFilterV1 = {}): Promise<DeploymentSummaryV1[]> {
    const statuses = filter.status ? new Set(filter.status) : undefined;
    return [...this.rows.values()]
      .filter((r) => filter.tenant === undefined || r.tenant === filter.tenant)
      .filter((r) => (filter.application === undefined || r.application === filter.application) && (!statuses || statuses.has(r.state.status)))
      .sort((a, b) => b.createdAt - a.createdAt || b.order - a.order)
      .slice(0, filter.limit ?? 100)
      .map((r) => this.toSummary(r));
  }

  async update(
    id: string,
    fn: (state: DeploymentStateV1) => UpdateResultV1 | void,
    options: { leaseOwner?: string; now?: number } = {},
  ): Promise<{ state: DeploymentStateV1; events: EngineEventV1[] }> {
    const row = this.mustGet(id);
    if (options.leaseOwner !== undefined && row.lease?.owner !== options.leaseOwner) {
      throw new FerryConflictError(`lease on deployment ${id} is not held by ${options.leaseOwner}`, { code: 'lease_lost', details: { deploymentId: id } });
    }
    const draft = structuredClone(row.state);
    const result = fn(draft) ?? {};
    if (result.noop) return { state: structuredClone(row.state), events: [] };
    draft.version = row.state.version + 1;
    row.state = draft;
    const events = (result.events ?? []).map((e) => this.push(row, e));
    return { state: structuredClone(draft), events: structuredClone(events) };
  }

  async appendEvent(event: NewEventV1): Promise<EngineEventV1> {
    return structuredClone(this.push(this.mustGet(event.deploymentId), event));
  }

  async listEvents(id: string, options: { afterSeq?: number; limit?: number } = {}): Promise<EngineEventV1[]> {
    const row = this.mustGet(id);
    const after = options.afterSeq ?? 0;
    return structuredClone(row.events.filter((e) => e.seq > after).slice(0, options.limit ?? Number.MAX_SAFE_INTEGER));
  }

  async claimLease(id: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    const row = this.mustGet(id);
    if (row.lease && row.lease.owner !== owner && row.lease.expiresAt > now) return false;
    row.lease = { owner, expiresAt: now + ttlMs };
    return true;
  }

  async renewLease(id: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.lease?.owner !== owner) return false;
    row.lease = { owner, expiresAt: now + ttlMs };
    return true;
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    const row = this.rows.get(id);
    if (row?.lease?.owner === owner) delete row.lease;
  }

  async listClaimable(now: number, options: { owner?: string; limit?: number } = {}): Promise<string[]> {
    const appKey = (r: Row) => `${r.tenant}/${r.application}`;
    const activeApps = new Set([...this.rows.values()].filter((r) => isActiveDeploymentStatus(r.state.status)).map(appKey));
    return [...this.rows.values()]
      .filter((r) => !isTerminalDeploymentStatus(r.state.status))
      .filter((r) => !r.lease || r.lease.expiresAt <= now || (options.owner !== undefined && r.lease.owner === options.owner))
      .filter((r) => r.state.status !== 'QUEUED' || !activeApps.has(appKey(r)))
      .sort((a, b) => a.createdAt - b.createdAt || a.order - b.order)
      .slice(0, options.limit ?? 100)
      .map((r) => r.id);
  }

  async listDue(now: number, options: { limit?: number } = {}): Promise<Array<{ id: string; wakeAt: number; leaseOwner?: string }>> {
    const due: Array<{ id: string; wakeAt: number; leaseOwner?: string }> = [];
    for (const r of this.rows.values()) {
      const wakeAt = r.state.wakeAt;
      if (wakeAt === undefined || wakeAt > now || isTerminalDeploymentStatus(r.state.status)) continue;
      due.push({ id: r.id, wakeAt, ...(r.lease && r.lease.expiresAt > now ? { leaseOwner: r.lease.owner } : {}) });
    }
    return due.sort((a, b) => a.wakeAt - b.wakeAt).slice(0, options.limit ?? 100);
  }

  private push(row: Row, event: NewEventV1): EngineEventV1 {
    const stored: EngineEventV1 = { ...structuredClone(event), seq: row.events.length + 1 };
    row.events.push(stored);
    return stored;
  }

  private mustGet(id: string): Row {
    const row = this.rows.get(id);
    if (!row) throw new FerryNotFoundError(`no deployment ${id}`, { code: 'deployment_not_found' });
    return row;
  }

  private toSummary(row: Row): DeploymentSummaryV1 {
    return {
      id: row.id,
      ...(row.tenant !== DEFAULT_TENANT ? { tenant: row.tenant } : {}),
      application: row.application,
      createdAt: row.createdAt,
      state: structuredClone(row.state),
      ...(row.lease ? { lease: { ...row.lease } } : {}),
    };
  }

  private toRecord(row: Row): DeploymentRecordV1 {
    return { ...this.toSummary(row), spec: structuredClone(row.spec) };
  }
}
