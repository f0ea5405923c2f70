import type { EngineEventV1 } from '../plugins/contracts.js';
import type { DeploymentRecordV1, DeploymentSummaryV1, StepStateV1, TargetStateV1 } from '../store/contracts.js';
import type { PlanTargetV1 } from '../plan/types.js';
import type { DeploymentStatus, TargetStatus } from '../store/statuses.js';

/**
 * How a deployment is shown to people and tools: the hub's REST payloads, the CLI's
 * `-o json|yaml` and the console all use these shapes. Every key is always present (null
 * when unknown) so clients can rely on the shape.
 */
export interface StepStatusViewV1 {
  id: string;
  environment: string;
  stage: string;
  phase: 'before' | 'strategy' | 'after';
  kind: string;
  title: string;
  status: 'PENDING' | 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
  attempt: number;
  startedAtIso: string | null;
  completedAtIso: string | null;
  wakeAtIso: string | null;
  reason: string | null;
}

export interface ApprovalViewV1 {
  stepId: string;
  kind: 'pause' | 'rollForward' | 'rollBack';
  message: string;
  requiresRoles: string[];
  requestedAtIso: string;
  expiresAtIso: string | null;
}

export interface EnvironmentStatusViewV1 {
  name: string;
  account: string;
  namespace: string;
  dependsOn: string[];
  strategy: string | null;
  status: TargetStatus;
  reason: string | null;
  startedAtIso: string | null;
  completedAtIso: string | null;
  weight: number | null;
  approval: ApprovalViewV1 | null;
  steps: StepStatusViewV1[];
}

export interface DeploymentStatusViewV1 {
  id: string;
  application: string;
  status: DeploymentStatus;
  reason: string | null;
  createdAtIso: string;
  startedAtIso: string | null;
  completedAtIso: string | null;
  startedBy: string | null;
  redeployOf: string | null;
  /** Where the deployment is shown (the hub's URL of it); null for an engine without one. */
  link: string | null;
  environments: EnvironmentStatusViewV1[];
  steps: StepStatusViewV1[];
}

export interface DeploymentSummaryViewV1 {
  id: string;
  application: string;
  status: DeploymentStatus;
  createdAtIso: string;
  startedAtIso: string | null;
  completedAtIso: string | null;
  link: string | null;
  environments: Array<{ name: string; status: TargetStatus }>;
}

export interface EventViewV1 {
  seq: number;
  deploymentId: string;
  type: string;
  at: number;
  atIso: string;
  target: string | null;
  stepId: string | null;
  data: Record<string, unknown>;
}

/** The plan (what will run) joined with the state (what ran), one environment per target in plan order. */
export function deploymentStatusView(record: DeploymentRecordV1, link: string | null = null): DeploymentStatusViewV1 {
  const environments = record.spec.plan.targets.map((planned) => environmentView(planned, record.state.targets[planned.name]));
  return {
    id: record.id,
    application: record.application,
    status: record.state.status,
    reason: record.state.reason ?? null,
    createdAtIso: iso(record.createdAt) as string,
    startedAtIso: iso(record.state.startedAt),
    completedAtIso: iso(record.state.endedAt),
    startedBy: record.spec.by ?? null,
    redeployOf: record.spec.redeployOf ?? null,
    link,
    environments,
    steps: environments.flatMap((e) => e.steps),
  };
}

export function deploymentSummaryView(summary: DeploymentSummaryV1, link: string | null = null): DeploymentSummaryViewV1 {
  return {
    id: summary.id,
    application: summary.application,
    status: summary.state.status,
    createdAtIso: iso(summary.createdAt) as string,
    startedAtIso: iso(summary.state.startedAt),
    completedAtIso: iso(summary.state.endedAt),
    link,
    environments: Object.entries(summary.state.targets).map(([name, target]) => ({ name, status: target.status })),
  };
}

export function eventView(event: EngineEventV1): EventViewV1 {
  return {
    seq: event.seq,
    deploymentId: event.deploymentId,
    type: event.type,
    at: event.at,
    atIso: iso(event.at) as string,
    target: event.target ?? null,
    stepId: event.stepId ?? null,
    data: event.data as Record<string, unknown>,
  };
}

/** The approval a person may answer now: on a waiting step, not yet decided. */
export function pendingApproval(state: TargetStateV1 | undefined): ApprovalViewV1 | null {
  for (const [stepId, step] of Object.entries(state?.steps ?? {})) {
    if (step.status !== 'WAITING' || !step.approval || step.decision) continue;
    return {
      stepId,
      kind: step.approval.kind,
      message: step.approval.message,
      requiresRoles: [...step.approval.requiresRoles],
      requestedAtIso: iso(step.approval.requestedAt) as string,
      expiresAtIso: iso(step.approval.expiresAt),
    };
  }
  return null;
}

function environmentView(planned: PlanTargetV1, state: TargetStateV1 | undefined): EnvironmentStatusViewV1 {
  const steps = planned.stages.flatMap((stage) => stage.steps.map((step) => stepView(planned.name, stage.name, stage.phase, step, state?.steps[step.id])));
  return {
    name: planned.name,
    account: planned.account,
    namespace: planned.namespace,
    dependsOn: [...planned.dependsOn],
    strategy: planned.strategy?.name ?? null,
    status: state?.status ?? 'PENDING',
    reason: state?.reason ?? null,
    startedAtIso: iso(state?.startedAt),
    completedAtIso: iso(state?.endedAt),
    weight: weightOf(state),
    approval: pendingApproval(state),
    steps,
  };
}

function stepView(
  environment: string,
  stage: string,
  phase: StepStatusViewV1['phase'],
  step: { id: string; kind: string; title: string },
  state: StepStateV1 | undefined,
): StepStatusViewV1 {
  return {
    id: step.id,
    environment,
    stage,
    phase,
    kind: step.kind,
    title: step.title,
    status: state?.status ?? 'PENDING',
    attempt: state?.attempt ?? 0,
    startedAtIso: iso(state?.startedAt),
    completedAtIso: iso(state?.endedAt),
    wakeAtIso: state?.status === 'WAITING' ? iso(state.wakeAt) : null,
    reason: state?.reason ?? null,
  };
}

/** A strategy's current traffic weight, when its state says one. */
function weightOf(state: TargetStateV1 | undefined): number | null {
  const strategyState = state?.strategyState;
  if (strategyState && typeof strategyState === 'object' && !Array.isArray(strategyState)) {
    const weight = (strategyState as Record<string, unknown>).weight;
    if (typeof weight === 'number') return weight;
  }
  return null;
}

function iso(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}
