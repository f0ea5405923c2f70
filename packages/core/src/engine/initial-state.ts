import type { PlanV1 } from '../plan/types.js';
import type { DeploymentStateV1, StepStateV1, TargetStateV1 } from '../store/contracts.js';

/** A new deployment's state: every target PENDING, every step PENDING. */
export function initialState(plan: PlanV1, now: number): DeploymentStateV1 {
  const targets: Record<string, TargetStateV1> = {};
  for (const target of plan.targets) {
    const steps: Record<string, StepStateV1> = {};
    for (const stage of target.stages) for (const step of stage.steps) steps[step.id] = { status: 'PENDING', attempt: 0 };
    targets[target.name] = { status: 'PENDING', stage: 0, steps };
  }
  return { status: 'RUNNING', version: 0, updatedAt: now, targets };
}
