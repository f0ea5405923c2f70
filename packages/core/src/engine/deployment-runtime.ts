import type { KubeObject } from '../config/types.js';
import type { ClusterClientV1, StepOutcomeV1 } from '../plugins/contracts.js';
import type { PlanTargetV1 } from '../plan/types.js';
import { tenantOf, type DeploymentRecordV1, type DeploymentSpecV1, type DeploymentStateV1 } from '../store/contracts.js';

export interface PendingOutcome {
  target: string;
  stepId: string;
  outcome: StepOutcomeV1;
  controller: AbortController;
  /** Whether the run was handed a person's decision (consumed once the outcome is persisted). */
  decided: boolean;
  /** `at` of the callback the run was handed (consumed once the outcome is persisted). */
  callbackAt?: number;
}

/**
 * What this engine keeps in memory for a deployment it holds the lease on. Everything here
 * can be rebuilt from the store; nothing is kept for deployments run elsewhere.
 */
export interface DeploymentRuntime {
  id: string;
  tenant: string;
  application: string;
  spec: DeploymentSpecV1;
  /** The last state this engine persisted or read. */
  state: DeploymentStateV1;
  targets: Map<string, PlanTargetV1>;
  /** Step runs in flight, by step id. */
  inflight: Map<string, AbortController>;
  rollingBack: Set<string>;
  rollbackSignal: AbortController;
  outcomes: PendingOutcome[];
  rollbacksDone: Array<{ target: string; error?: string }>;
  pumping: boolean;
  dirty: boolean;
  closed: boolean;
  /** Lazily built per target. */
  manifests: Map<string, KubeObject[]>;
  clusters: Map<string, Promise<ClusterClientV1>>;
}

export function createRuntime(record: Pick<DeploymentRecordV1, 'id' | 'tenant' | 'application' | 'spec' | 'state'>): DeploymentRuntime {
  const { id, application, spec, state } = record;
  return {
    id,
    tenant: tenantOf(record),
    application,
    spec,
    state,
    targets: new Map(spec.plan.targets.map((t) => [t.name, t])),
    inflight: new Map(),
    rollingBack: new Set(),
    rollbackSignal: new AbortController(),
    outcomes: [],
    rollbacksDone: [],
    pumping: false,
    dirty: false,
    closed: false,
    manifests: new Map(),
    clusters: new Map(),
  };
}
