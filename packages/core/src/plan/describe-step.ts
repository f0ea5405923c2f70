import type { StepConfig } from '../config/types.js';

/** A one-line title for a step from the deploy file, for plan renderings and UIs. */
export function describeStep(step: StepConfig): string {
  switch (step.kind) {
    case 'setWeight':
      return `setWeight ${step.weight}%`;
    case 'pause':
      if (step.untilApproved) {
        const roles = step.requiresRoles.length > 0 ? ` by ${step.requiresRoles.join(', ')}` : '';
        const expiry = step.approvalExpiration ? `, expires after ${step.approvalExpiration.duration} ${step.approvalExpiration.unit}` : '';
        return `pause until approved${roles}${expiry}`;
      }
      return step.duration ? `pause ${step.duration.duration} ${step.duration.unit}` : 'pause';
    case 'analysis':
      return `analysis of ${step.queries.join(', ')} (${step.numberOfJudgmentRuns} × ${step.interval.duration} ${step.interval.unit})`;
    case 'runWebhook':
      return `runWebhook ${step.name}`;
    case 'exposeServices':
      return `exposeServices ${step.services.join(', ')}`;
    case 'custom':
      return `custom ${step.stepKind}`;
  }
}
