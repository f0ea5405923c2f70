import type { PauseStep } from '../../config/types.js';
import type { StepContextV1, StepKindV1, StepOutcomeV1 } from '../../plugins/contracts.js';

interface PauseState {
  since: number;
}

/**
 * `pause`: timed (waits until its duration passed; a person may skip it) or until approved
 * (waits for a person; the engine cancels and rolls back the target when the approval
 * expires). Only persisted state is used, so a resumed pause keeps its original deadline.
 */
export function pauseStepKind(): StepKindV1 {
  return { specificationVersion: 'v1', kind: 'pause', run: async (ctx) => runPause(ctx) };
}

function runPause(ctx: StepContextV1): StepOutcomeV1 {
  const step = ctx.step.config as PauseStep;
  const state = (ctx.state as PauseState | undefined) ?? { since: ctx.now() };
  const decision = ctx.decision;
  if (decision?.action === 'reject') return { status: 'failed', reason: `rejected by ${decision.by}`, state: { ...state } };
  if (decision && decision.action !== 'rollBack') return { status: 'succeeded', state: { ...state } };
  if (decision?.action === 'rollBack') return { status: 'failed', reason: `rolled back by ${decision.by}`, state: { ...state } };
  if (step.untilApproved) {
    return {
      status: 'waiting',
      state: { ...state },
      approval: {
        kind: 'pause',
        message: ctx.step.title,
        requiresRoles: step.requiresRoles,
        ...(step.approvalExpiration ? { expiresAt: state.since + step.approvalExpiration.ms } : {}),
      },
    };
  }
  const until = state.since + (step.duration?.ms ?? 0);
  if (ctx.now() >= until) return { status: 'succeeded', state: { ...state } };
  return { status: 'waiting', state: { ...state }, wakeAt: until };
}
