import { FerryConflictError, FerryForbiddenError, FerryNotFoundError } from '../errors/index.js';
import type { ClockV1, DecisionV1, EngineEventV1 } from '../plugins/contracts.js';
import type { DeploymentStateV1, NewEventV1, StepStateV1, StoreV1, TargetStateV1 } from '../store/contracts.js';
import { isTerminalDeploymentStatus } from '../store/statuses.js';
import { isActiveTarget } from './transitions.js';

export interface ActionInput {
  /** Who acts, recorded with the decision. */
  by: string;
  comment?: string;
}

/**
 * What people do to a running deployment. Each action is written into the deployment's
 * state (a decision on the waiting step, a rollback or cancel request) with `wakeAt = now`,
 * without the lease: the engine holding the lease acts on it at once when it is this one,
 * or at its next scan of due deployments otherwise. Nothing is lost if that engine dies.
 */
export class PersonActions {
  constructor(
    private readonly store: StoreV1,
    private readonly clock: ClockV1,
    private readonly poke: (id: string) => void,
    private readonly emit: (event: EngineEventV1) => void,
  ) {}

  /** approve / reject a pending approval (a pause, or a manual-mode analysis). */
  decide(id: string, target: string, action: 'approve' | 'reject', input: ActionInput & { roles?: string[] }): Promise<void> {
    return this.act(id, (s, now) => {
      const [stepId, st] = pendingStep(s, target, (step) => step.approval !== undefined, `no approval is pending on target ${target}`);
      checkRoles(st, input.roles ?? [], input.by);
      st.decision = decision(action, input, now);
      return [event(id, action === 'approve' ? 'approval.granted' : 'approval.rejected', now, target, stepId, input, st)];
    });
  }

  /** Ends a timed pause now. */
  skip(id: string, target: string, input: ActionInput): Promise<void> {
    return this.act(id, (s, now) => {
      const [stepId, st] = pendingStep(s, target, (step) => step.approval === undefined && step.wakeAt !== undefined, `no timed pause is pending on target ${target}`);
      st.decision = decision('skip', input, now);
      return [event(id, 'step.skipRequested', now, target, stepId, input, st)];
    });
  }

  /** Answers a manual-mode analysis with "roll forward". */
  rollForward(id: string, target: string, input: ActionInput & { roles?: string[] }): Promise<void> {
    return this.act(id, (s, now) => {
      const [stepId, st] = pendingStep(s, target, isAnalysisDecision, `no roll-forward decision is pending on target ${target}`);
      checkRoles(st, input.roles ?? [], input.by);
      st.decision = decision('rollForward', input, now);
      return [event(id, 'approval.granted', now, target, stepId, input, st)];
    });
  }

  /**
   * Rolls back one target (or every active one): answers a pending manual-mode analysis
   * with "roll back", or else asks the engine to abort the target's steps and roll it back.
   */
  rollback(id: string, input: ActionInput & { target?: string; roles?: string[] }): Promise<void> {
    return this.act(id, (s, now) => {
      const names = input.target !== undefined ? [input.target] : Object.keys(s.targets).filter((n) => isActiveTarget(s.targets[n] as TargetStateV1));
      if (input.target !== undefined && !s.targets[input.target]) throw new FerryNotFoundError(`deployment ${id} has no target ${input.target}`, { code: 'target_not_found' });
      const events: NewEventV1[] = [];
      for (const name of names) {
        const t = s.targets[name] as TargetStateV1;
        if (!isActiveTarget(t) || t.rollback) continue;
        const pending = Object.entries(t.steps).find(([, st]) => st.status === 'WAITING' && !st.decision && isAnalysisDecision(st));
        if (pending) {
          checkRoles(pending[1], input.roles ?? [], input.by);
          pending[1].decision = decision('rollBack', input, now);
          events.push(event(id, 'approval.rejected', now, name, pending[0], input, pending[1]));
        } else {
          t.rollback = { by: input.by, at: now, reason: `rolled back by ${input.by}` };
          events.push({ deploymentId: id, type: 'target.rollbackRequested', at: now, target: name, data: { by: input.by } });
        }
      }
      if (events.length === 0) throw new FerryConflictError(`nothing to roll back in deployment ${id}${input.target ? ` target ${input.target}` : ''}`, { code: 'not_rollbackable' });
      return events;
    });
  }

  cancel(id: string, input: ActionInput): Promise<void> {
    return this.act(id, (s, now) => {
      if (s.cancel) throw new FerryConflictError(`deployment ${id} is already being cancelled`, { code: 'already_cancelling' });
      if (s.status === 'QUEUED') {
        s.status = 'CANCELLED';
        s.endedAt = now;
        s.reason = `cancelled by ${input.by}`;
        delete s.wakeAt;
        return [{ deploymentId: id, type: 'deployment.completed', at: now, data: { status: 'CANCELLED', reason: s.reason } }];
      }
      s.cancel = { by: input.by, at: now };
      return [{ deploymentId: id, type: 'deployment.cancelRequested', at: now, data: { by: input.by } }];
    });
  }

  private async act(id: string, change: (s: DeploymentStateV1, now: number) => NewEventV1[]): Promise<void> {
    const now = this.clock.now();
    let result;
    try {
      result = await this.store.update(id, (s) => {
        if (isTerminalDeploymentStatus(s.status)) throw new FerryConflictError(`deployment ${id} has ended (${s.status})`, { code: 'deployment_ended' });
        const events = change(s, now);
        if (!isTerminalDeploymentStatus(s.status)) s.wakeAt = now;
        s.updatedAt = now;
        return { events };
      });
    } catch (error) {
      if (error instanceof FerryNotFoundError && error.code === 'deployment_not_found') throw new FerryNotFoundError(`no deployment ${id}`, { code: 'deployment_not_found' });
      throw error;
    }
    for (const e of result.events) this.emit(e);
    this.poke(id);
  }
}

function isAnalysisDecision(st: StepStateV1): boolean {
  return st.approval?.kind === 'rollBack' || st.approval?.kind === 'rollForward';
}

function pendingStep(s: DeploymentStateV1, target: string, matches: (st: StepStateV1) => boolean, none: string): [string, StepStateV1] {
  const t = s.targets[target];
  if (!t) throw new FerryNotFoundError(`no target ${target}`, { code: 'target_not_found' });
  const found = Object.entries(t.steps).find(([, st]) => st.status === 'WAITING' && !st.decision && matches(st));
  if (!found || !isActiveTarget(t) || t.rollback) throw new FerryConflictError(none, { code: 'nothing_pending' });
  return found;
}

/** A person needs at least one of the roles an approval requires (none required: anyone). */
function checkRoles(st: StepStateV1, roles: string[], by: string): void {
  const required = st.approval?.requiresRoles ?? [];
  if (required.length > 0 && !required.some((r) => roles.includes(r))) {
    throw new FerryForbiddenError(`${by} lacks a role this approval requires (one of: ${required.join(', ')})`, { code: 'missing_role', details: { requiresRoles: required } });
  }
}

function decision(action: DecisionV1['action'], input: ActionInput, at: number): DecisionV1 {
  return { action, by: input.by, at, ...(input.comment !== undefined ? { comment: input.comment } : {}) };
}

function event(id: string, type: string, at: number, target: string, stepId: string, input: ActionInput, st: StepStateV1): NewEventV1 {
  return {
    deploymentId: id,
    type,
    at,
    target,
    stepId,
    data: { by: input.by, ...(st.approval ? { kind: st.approval.kind } : {}), ...(input.comment !== undefined ? { comment: input.comment } : {}) },
  };
}
