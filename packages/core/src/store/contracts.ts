/**
 * StoreV1: where deployments, their event logs and leases live. Implemented in memory for
 * tests (`MemoryStore` in @ferry/core/testing) and over SQL in the hub. A record is a JSON
 * document (`spec` written once, `state` rewritten on every transition) plus a few columns
 * a SQL store indexes: id, application, status, createdAt, wakeAt, lease owner and expiry.
 */
import type { DeployFile } from '../config/types.js';
import type { ApprovalRequestV1, CallbackV1, DecisionV1, EngineEventV1, Json, SpecificationVersion } from '../plugins/contracts.js';
import type { PlanV1 } from '../plan/types.js';
import type { DeploymentStatus, StepStatus, TargetStatus } from './statuses.js';

/** What never changes after a deployment is created. */
export interface DeploymentSpecV1 {
  file: DeployFile;
  /** The deploy file's context merged with the one given at start. */
  context: Record<string, string>;
  plan: PlanV1;
  /** Who started it. */
  by?: string;
  /** The deployment this one redeploys. */
  redeployOf?: string;
}

export interface PendingApprovalV1 extends ApprovalRequestV1 {
  requestedAt: number;
}

export interface StepStateV1 {
  status: StepStatus;
  /** How many times the step was started (re-runs after a wake or a crash included). */
  attempt: number;
  startedAt?: number;
  endedAt?: number;
  /** What the step's last run returned, handed back as `ctx.state`. */
  state?: Json;
  /** When a waiting step runs again. */
  wakeAt?: number;
  approval?: PendingApprovalV1;
  /** A person's answer not yet handed to the step. */
  decision?: DecisionV1;
  /** An external system's answer (`engine.callback`) not yet handed to the step. */
  callback?: CallbackV1;
  /** SHA-256 (hex) of the callback tokens minted for this step; never the tokens themselves. */
  callbackTokenHashes?: string[];
  reason?: string;
}

export interface TargetStateV1 {
  status: TargetStatus;
  /** Cursor: index of the current stage in the planned target's stages. */
  stage: number;
  steps: Record<string, StepStateV1>;
  strategyState?: Json;
  startedAt?: number;
  endedAt?: number;
  reason?: string;
  /** Set by a rollback (asked, failed step, expired approval, cancel); the engine acts on it. */
  rollback?: { by: string; at: number; reason: string };
}

export interface DeploymentStateV1 {
  status: DeploymentStatus;
  /** Optimistic version, bumped by the store on every update. */
  version: number;
  updatedAt: number;
  startedAt?: number;
  endedAt?: number;
  reason?: string;
  targets: Record<string, TargetStateV1>;
  /** Indexed: the earliest time something is due (a timer, a person's request). */
  wakeAt?: number;
  cancel?: { by: string; at: number };
}

export interface LeaseV1 {
  owner: string;
  expiresAt: number;
}

export interface DeploymentRecordV1 {
  id: string;
  /**
   * The tenant that owns it (a hub partitions deployments by tenant; an embedded engine
   * leaves it out, which means `default`). The one-deployment-per-application rule holds
   * per tenant.
   */
  tenant?: string;
  application: string;
  createdAt: number;
  spec: DeploymentSpecV1;
  state: DeploymentStateV1;
  lease?: LeaseV1;
}

/** `list` answers without the (large) spec. */
export type DeploymentSummaryV1 = Omit<DeploymentRecordV1, 'spec'>;

export type NewEventV1 = Omit<EngineEventV1, 'seq'>;

export interface DeploymentFilterV1 {
  /** Only this tenant's deployments (`default` matches records without a tenant). */
  tenant?: string;
  application?: string;
  status?: DeploymentStatus[];
  /** Newest first; default 100. */
  limit?: number;
}

/** What an update function may return: events appended in the same transaction, or noop. */
export interface UpdateResultV1 {
  events?: NewEventV1[];
  /** Nothing changed: the store writes nothing and keeps the version. */
  noop?: boolean;
}

export interface CreateResultV1 {
  record: DeploymentRecordV1;
  /** Queued requests for the same application this one replaced (now REJECTED). */
  superseded: string[];
  /** Events appended by creation (the one given, with seq). */
  events: EngineEventV1[];
}

export interface StoreV1 {
  specificationVersion: SpecificationVersion;
  /**
   * Creates a deployment atomically under the per-application rule. With another
   * deployment of the application active: `reject` → FerryConflictError with code
   * `deployment_in_progress`; `enqueueOne` → stored as QUEUED and any older QUEUED request
   * of the application becomes REJECTED. `record.state.status` must be RUNNING.
   */
  create(
    record: DeploymentRecordV1,
    options: { ifInProgress: 'reject' | 'enqueueOne'; now: number; events?: NewEventV1[] },
  ): Promise<CreateResultV1>;
  /** Null when there is no such deployment. */
  get(id: string): Promise<DeploymentRecordV1 | null>;
  list(filter?: DeploymentFilterV1): Promise<DeploymentSummaryV1[]>;
  /**
   * Read-modify-write of a deployment's state in one transaction: `fn` mutates the state it
   * is given (a private copy; it may run again on a version conflict, so it must not have
   * side effects) and may return events to append atomically. With `leaseOwner`, fails
   * with FerryConflictError code `lease_lost` unless that owner holds the lease. A throw
   * from `fn` aborts the update and propagates.
   */
  update(
    id: string,
    fn: (state: DeploymentStateV1) => UpdateResultV1 | void,
    options?: { leaseOwner?: string; now?: number },
  ): Promise<{ state: DeploymentStateV1; events: EngineEventV1[] }>;
  /** Appends to the deployment's log; the store assigns `seq` (from 1, no gaps). */
  appendEvent(event: NewEventV1): Promise<EngineEventV1>;
  listEvents(id: string, options?: { afterSeq?: number; limit?: number }): Promise<EngineEventV1[]>;
  /** Takes the lease when it is free, expired or already the owner's. */
  claimLease(id: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  /** Extends the owner's lease; false when the owner lost it. */
  renewLease(id: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLease(id: string, owner: string): Promise<void>;
  /**
   * Ids of non-terminal deployments with no live lease (or whose lease `owner` itself
   * holds, for an engine restarting under the same name). A QUEUED deployment is only
   * claimable when no other deployment of its application is active.
   */
  listClaimable(now: number, options?: { owner?: string; limit?: number }): Promise<string[]>;
  /** Non-terminal deployments whose `state.wakeAt` has come: a timer fired or a person acted. */
  listDue(now: number, options?: { limit?: number }): Promise<Array<{ id: string; wakeAt: number; leaseOwner?: string }>>;
}

/** The tenant a record belongs to: records without one belong to `default`. */
export const DEFAULT_TENANT = 'default';
export function tenantOf(record: { tenant?: string }): string {
  return record.tenant ?? DEFAULT_TENANT;
}
