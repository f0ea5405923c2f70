import { parsePluginOptions, type StepContextV1, type StepOutcomeV1, type StrategyV1 } from '@ferry/core';
import { pollingOptions } from '../options.js';
import { deployCanary } from './deploy-step.js';
import { planCanary } from './plan.js';
import { promoteCanary } from './promote-step.js';
import { rollbackCanary } from './rollback.js';
import { setCanaryWeight } from './set-weight-step.js';

export interface CanaryStrategyOptions {
  /** How often a step waiting for readiness or traffic polls, in clock ms. Default 1000. */
  pollIntervalMs?: number;
}

/** The canary strategy over Ferry-managed ReplicaSets (pod ratio, or a traffic provider). */
export function canaryStrategy(options: CanaryStrategyOptions = {}): StrategyV1 {
  const { pollIntervalMs } = parsePluginOptions('canary', pollingOptions, options);
  return {
    specificationVersion: 'v1',
    kind: 'canary',
    plan: (block) => planCanary(block),
    async runStep(ctx: StepContextV1): Promise<StepOutcomeV1> {
      switch (ctx.step.kind) {
        case 'deploy':
          return deployCanary(ctx);
        case 'setWeight':
          return setCanaryWeight(ctx, { pollIntervalMs });
        case 'promote':
          return promoteCanary(ctx);
        default:
          return { status: 'failed', reason: `the canary strategy does not run "${ctx.step.kind}" steps` };
      }
    },
    rollback: rollbackCanary,
  };
}
