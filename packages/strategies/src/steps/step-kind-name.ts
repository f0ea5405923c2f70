import type { PlannedStepV1, StepConfig } from '@ferry/core';

/** The step-kind name that runs a non-strategy step: its own kind, or a custom step's kind. */
export function stepKindName(step: StepConfig): string {
  return step.kind === 'custom' ? step.stepKind : step.kind;
}

/** The config a step kind receives: a custom step's own `config`, else the step itself (as core plans constraints). */
export function stepKindConfig(step: StepConfig): PlannedStepV1['config'] {
  return step.kind === 'custom' ? (step.config as PlannedStepV1['config']) : step;
}
