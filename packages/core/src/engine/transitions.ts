/**
 * The deployment state machine as pure functions over a state draft. They run inside
 * `store.update`, so every transition is persisted atomically with its events; what must
 * happen outside the store (run a step, roll back, abort) is returned as effects.
 */
import type { Json, StepOutcomeV1 } from '../plugins/contracts.js';
import type { PlanTargetV1, PlanV1 } from '../plan/types.js';
import type { DeploymentStateV1, NewEventV1, StepStateV1, TargetStateV1 } from '../store/contracts.js';
import { isTerminalTargetStatus, type TargetStatus } from '../store/statuses.js';

export interface Effects {
  events: NewEventV1[];
  launch: Array<{ target: string; stepId: string }>;
  rollbacks: string[];
  abortTargets: string[];
}

export interface TransitionContext {
  deploymentId: string;
  plan: PlanV1;
  now: number;
  /** Whether a run of the step is in flight in this engine. */
  inflight(stepId: string): boolean;
  rollingBack(target: string): boolean;
}

const ACTIVE: ReadonlySet<TargetStatus> = new Set(['RUNNING', 'PAUSED', 'AWAITING_APPROVAL']);
const UPSTREAM_FAILED: ReadonlySet<TargetStatus> = new Set(['FAILED', 'ROLLED_BACK', 'CANCELLED', 'SKIPPED']);
const STEP_DONE = new Set(['SUCCEEDED', 'SKIPPED', 'CANCELLED']);

export function isActiveTarget(t: TargetStateV1): boolean {
  return ACTIVE.has(t.status);
}

function event(x: TransitionContext, fx: Effects, type: string, data: Record<string, Json>, target?: string, stepId?: string): void {
  fx.events.push({
    deploymentId: x.deploymentId,
    type,
    at: x.now,
    ...(target !== undefined ? { target } : {}),
    ...(stepId !== undefined ? { stepId } : {}),
    data,
  });
}

export function newEffects(): Effects {
  return { events: [], launch: [], rollbacks: [], abortTargets: [] };
}

/** Records what a step's run returned. Ignored when the step or its target moved on meanwhile. */
export function applyOutcome(s: DeploymentStateV1, x: TransitionContext, fx: Effects, target: string, stepId: string, outcome: StepOutcomeV1, decided: boolean, callbackAt?: number): void {
  const t = s.targets[target];
  const st = t?.steps[stepId];
  if (!t || !st || !isActiveTarget(t) || t.rollback || (st.status !== 'RUNNING' && st.status !== 'WAITING')) return;
  for (const e of outcome.events ?? []) event(x, fx, e.type, e.data, target, stepId);
  if (outcome.strategyState !== undefined) t.strategyState = outcome.strategyState;
  if (outcome.state !== undefined) st.state = outcome.state;
  if (decided) delete st.decision;
  // Only the callback this run saw: one that arrived during the run is handed to the next.
  if (callbackAt !== undefined && st.callback?.at === callbackAt) delete st.callback;
  if (outcome.status === 'waiting') {
    const wasWaiting = st.status === 'WAITING';
    st.status = 'WAITING';
    if (outcome.wakeAt !== undefined) st.wakeAt = outcome.wakeAt;
    else delete st.wakeAt;
    if (outcome.approval) {
      const same = st.approval && st.approval.kind === outcome.approval.kind;
      st.approval = { ...outcome.approval, requestedAt: same && st.approval ? st.approval.requestedAt : x.now };
      if (!same) {
        event(x, fx, 'approval.requested', {
          kind: outcome.approval.kind,
          message: outcome.approval.message,
          requiresRoles: outcome.approval.requiresRoles,
          ...(outcome.approval.expiresAt !== undefined ? { expiresAt: outcome.approval.expiresAt } : {}),
        }, target, stepId);
      }
    } else {
      delete st.approval;
    }
    if (!wasWaiting) event(x, fx, 'step.waiting', { ...(st.wakeAt !== undefined ? { wakeAt: st.wakeAt } : {}), approval: st.approval !== undefined }, target, stepId);
    return;
  }
  delete st.wakeAt;
  delete st.approval;
  st.endedAt = x.now;
  if (outcome.status === 'failed') {
    st.status = 'FAILED';
    st.reason = outcome.reason;
    event(x, fx, 'step.failed', { reason: outcome.reason }, target, stepId);
    return;
  }
  st.status = 'SUCCEEDED';
  event(x, fx, 'step.completed', {}, target, stepId);
  if (outcome.skipRemainingSteps) skipRemainingStrategySteps(x, t, target);
}

function skipRemainingStrategySteps(x: TransitionContext, t: TargetStateV1, target: string): void {
  const pt = planTarget(x.plan, target);
  for (const stage of pt.stages) {
    if (stage.phase !== 'strategy') continue;
    for (const step of stage.steps) {
      const st = t.steps[step.id];
      if (st && st.status === 'PENDING' && !step.alwaysRun) {
        st.status = 'SKIPPED';
        st.reason = 'skipped: an earlier step asked to skip the remaining steps';
      }
    }
  }
}

/** A strategy rollback ended (with an error when it failed). */
export function applyRollbackDone(s: DeploymentStateV1, x: TransitionContext, fx: Effects, target: string, error: string | undefined): void {
  const t = s.targets[target];
  if (!t || t.status !== 'ROLLING_BACK') return;
  t.endedAt = x.now;
  if (error === undefined) {
    t.status = 'ROLLED_BACK';
    event(x, fx, 'target.rolledBack', { reason: t.reason ?? '' }, target);
  } else {
    t.status = 'FAILED';
    t.reason = `rollback failed: ${error}`;
    event(x, fx, 'target.completed', { status: 'FAILED', reason: t.reason }, target);
  }
}

function planTarget(plan: PlanV1, name: string): PlanTargetV1 {
  const pt = plan.targets.find((p) => p.name === name);
  if (!pt) throw new Error(`target ${name} is not in the plan`);
  return pt;
}

/** Moves every target as far as it can go now, then derives the deployment's status. */
export function advance(s: DeploymentStateV1, x: TransitionContext, fx: Effects): void {
  if (s.status === 'QUEUED' || (s.status === 'RUNNING' && s.startedAt === undefined)) {
    s.status = 'RUNNING';
    s.startedAt = x.now;
    event(x, fx, 'deployment.started', { application: x.plan.application });
  }
  if (s.cancel) {
    for (const pt of x.plan.targets) {
      const t = s.targets[pt.name] as TargetStateV1;
      if (t.status === 'PENDING') finishTarget(x, fx, pt.name, t, 'CANCELLED', `cancelled by ${s.cancel.by}`);
      else if (isActiveTarget(t) && !t.rollback) t.rollback = { by: s.cancel.by, at: s.cancel.at, reason: `cancelled by ${s.cancel.by}` };
    }
  }
  for (const pt of x.plan.targets) advanceTarget(s, x, fx, pt, s.targets[pt.name] as TargetStateV1);
  deriveDeploymentStatus(s, x, fx);
}

function finishTarget(x: TransitionContext, fx: Effects, name: string, t: TargetStateV1, status: TargetStatus, reason?: string): void {
  t.status = status;
  t.endedAt = x.now;
  if (reason !== undefined) t.reason = reason;
  event(x, fx, 'target.completed', { status, ...(reason !== undefined ? { reason } : {}) }, name);
}

function advanceTarget(s: DeploymentStateV1, x: TransitionContext, fx: Effects, pt: PlanTargetV1, t: TargetStateV1): void {
  if (t.status === 'PENDING') {
    const failedDep = pt.dependsOn.find((d) => UPSTREAM_FAILED.has((s.targets[d] as TargetStateV1).status));
    if (failedDep !== undefined) {
      finishTarget(x, fx, pt.name, t, 'SKIPPED', `upstream target ${failedDep} ${(s.targets[failedDep] as TargetStateV1).status}`);
      return;
    }
    if (!pt.dependsOn.every((d) => (s.targets[d] as TargetStateV1).status === 'SUCCEEDED')) return;
    t.status = 'RUNNING';
    t.startedAt = x.now;
    event(x, fx, 'target.started', { account: pt.account, namespace: pt.namespace }, pt.name);
  }
  if (isActiveTarget(t)) {
    if (t.rollback) beginRollback(x, fx, pt, t);
    else driveStages(x, fx, pt, t);
  }
  if (t.status === 'ROLLING_BACK' && !x.rollingBack(pt.name) && !fx.rollbacks.includes(pt.name)) fx.rollbacks.push(pt.name);
}

/** Whether the target's cluster may hold the new version (its strategy stages have begun). */
function deployed(pt: PlanTargetV1, t: TargetStateV1): boolean {
  const phase = pt.stages[t.stage]?.phase ?? 'after';
  return phase !== 'before';
}

function beginRollback(x: TransitionContext, fx: Effects, pt: PlanTargetV1, t: TargetStateV1): void {
  const request = t.rollback as NonNullable<TargetStateV1['rollback']>;
  cancelOpenSteps(x, fx, pt, t);
  if (pt.strategy && deployed(pt, t)) {
    t.status = 'ROLLING_BACK';
    t.reason = request.reason;
    event(x, fx, 'target.rollingBack', { reason: request.reason, by: request.by }, pt.name);
  } else {
    finishTarget(x, fx, pt.name, t, 'CANCELLED', request.reason);
  }
}

function driveStages(x: TransitionContext, fx: Effects, pt: PlanTargetV1, t: TargetStateV1): void {
  for (;;) {
    const stage = pt.stages[t.stage];
    if (!stage) {
      finishTarget(x, fx, pt.name, t, 'SUCCEEDED');
      return;
    }
    const failed = stage.steps.find((step) => t.steps[step.id]?.status === 'FAILED');
    if (failed) {
      const reason = `step ${failed.id} failed: ${t.steps[failed.id]?.reason ?? 'unknown reason'}`;
      if (stage.phase === 'strategy' && pt.strategy) {
        t.rollback = { by: 'ferry', at: x.now, reason };
        beginRollback(x, fx, pt, t);
      } else {
        cancelOpenSteps(x, fx, pt, t);
        finishTarget(x, fx, pt.name, t, 'FAILED', reason);
      }
      return;
    }
    if (stage.steps.every((step) => STEP_DONE.has((t.steps[step.id] as StepStateV1).status))) {
      t.stage += 1;
      continue;
    }
    let awaitingApproval = false;
    let busy = false;
    for (const step of stage.steps) {
      const st = t.steps[step.id] as StepStateV1;
      if (st.status === 'PENDING') {
        st.status = 'RUNNING';
        st.attempt += 1;
        st.startedAt = x.now;
        event(x, fx, 'step.started', { kind: step.kind, title: step.title, runner: step.runner }, pt.name, step.id);
        fx.launch.push({ target: pt.name, stepId: step.id });
        busy = true;
      } else if (st.status === 'RUNNING') {
        if (!x.inflight(step.id)) {
          st.attempt += 1; // resumed after a restart or takeover: run again (steps are idempotent)
          fx.launch.push({ target: pt.name, stepId: step.id });
        }
        busy = true;
      } else if (st.status === 'WAITING') {
        if (x.inflight(step.id)) {
          busy = true;
        } else if (st.decision || st.callback) {
          fx.launch.push({ target: pt.name, stepId: step.id });
          busy = true;
        } else if (st.approval?.expiresAt !== undefined && st.approval.expiresAt <= x.now) {
          t.rollback = { by: 'ferry', at: x.now, reason: `approval of ${step.id} expired` };
          beginRollback(x, fx, pt, t);
          return;
        } else if (st.wakeAt !== undefined && st.wakeAt <= x.now) {
          fx.launch.push({ target: pt.name, stepId: step.id });
          busy = true;
        } else if (st.approval) {
          awaitingApproval = true;
        }
      }
    }
    t.status = awaitingApproval ? 'AWAITING_APPROVAL' : busy ? 'RUNNING' : 'PAUSED';
    return;
  }
}

/** Aborts a target's in-flight steps: running and waiting ones are cancelled (with whatever a person had decided for them), pending ones skipped. */
function cancelOpenSteps(x: TransitionContext, fx: Effects, pt: PlanTargetV1, t: TargetStateV1): void {
  fx.abortTargets.push(pt.name);
  for (const stage of pt.stages) {
    for (const step of stage.steps) {
      const st = t.steps[step.id] as StepStateV1;
      if (st.status === 'RUNNING' || st.status === 'WAITING') {
        st.status = 'CANCELLED';
        st.endedAt = x.now;
        delete st.wakeAt;
        delete st.approval;
        delete st.decision;
      } else if (st.status === 'PENDING') {
        st.status = 'SKIPPED';
      }
    }
  }
}

function deriveDeploymentStatus(s: DeploymentStateV1, x: TransitionContext, fx: Effects): void {
  const targets = Object.values(s.targets);
  let wakeAt = Number.POSITIVE_INFINITY;
  for (const pt of x.plan.targets) {
    const t = s.targets[pt.name] as TargetStateV1;
    if (!isActiveTarget(t)) continue;
    for (const step of pt.stages[t.stage]?.steps ?? []) {
      const st = t.steps[step.id] as StepStateV1;
      if (st.status !== 'WAITING') continue;
      if (st.wakeAt !== undefined) wakeAt = Math.min(wakeAt, st.wakeAt);
      if (st.approval?.expiresAt !== undefined) wakeAt = Math.min(wakeAt, st.approval.expiresAt);
      if (st.decision) wakeAt = Math.min(wakeAt, st.decision.at);
      if (st.callback) wakeAt = Math.min(wakeAt, st.callback.at);
    }
  }
  if (wakeAt === Number.POSITIVE_INFINITY) delete s.wakeAt;
  else s.wakeAt = wakeAt;

  if (targets.every((t) => isTerminalTargetStatus(t.status))) {
    s.status = s.cancel ? 'CANCELLED' : targets.every((t) => t.status === 'SUCCEEDED') ? 'SUCCEEDED' : 'FAILED';
    s.endedAt = x.now;
    delete s.wakeAt;
    const failed = targets.find((t) => t.status !== 'SUCCEEDED' && t.reason);
    if (s.status !== 'SUCCEEDED' && failed?.reason) s.reason = failed.reason;
    event(x, fx, 'deployment.completed', { status: s.status, ...(s.reason ? { reason: s.reason } : {}) });
    return;
  }
  const has = (status: TargetStatus): boolean => targets.some((t) => t.status === status);
  s.status = has('AWAITING_APPROVAL')
    ? 'AWAITING_APPROVAL'
    : has('RUNNING') || has('ROLLING_BACK')
      ? 'RUNNING'
      : has('PAUSED')
        ? 'PAUSED'
        : 'RUNNING';
}
