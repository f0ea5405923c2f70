import type { Generated } from 'kysely';

/**
 * The tables behind StoreV1. A deployment is a JSON document (`spec` written once, `state`
 * rewritten on every transition) plus the few columns queries filter on, copied from the
 * state on every write. Times are epoch milliseconds.
 */
export interface FerryDatabase {
  ferry_deployments: DeploymentsTable;
  ferry_deployment_events: EventsTable;
  ferry_application_locks: ApplicationLocksTable;
}

export interface DeploymentsTable {
  id: string;
  /** Added by migration 0002; `default` for rows written before tenants existed. */
  tenant: string;
  application: string;
  status: string;
  created_at: number | string;
  /** Tie-breaker for deployments created in the same millisecond. */
  created_ordinal: number | string;
  wake_at: number | string | null;
  lease_owner: string | null;
  lease_expires_at: number | string | null;
  version: number;
  /** Seq of the newest event; the next append takes last_seq + 1. */
  last_seq: Generated<number>;
  spec: string;
  state: string;
}

export interface EventsTable {
  deployment_id: string;
  seq: number;
  type: string;
  at: number | string;
  target: string | null;
  step_id: string | null;
  data: string;
}

/** One row per application, locked while a deployment of it is created (the concurrency rule). */
export interface ApplicationLocksTable {
  application: string;
}

export type SqlDialectName = 'sqlite' | 'postgres';
