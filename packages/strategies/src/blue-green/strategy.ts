import { parsePluginOptions, type StepContextV1, type StepOutcomeV1, type StrategyV1 } from '@ferry/core';
import { pollingOptions } from '../options.js';
import { deployBlueGreen } from './deploy-step.js';
import { planBlueGreen } from './plan.js';
import { redirectBlueGreen } from './redirect-step.js';
import { rollbackBlueGreen } from './rollback.js';
import { shutDownOldVersion } from './shutdown-step.js';

export interface BlueGreenStrategyOptions {
  /** How often the deploy step polls readiness, in clock ms. Default 1000. */
  pollIntervalMs?: number;
}

/** The blue/green strategy: new version at full size, Services moved by selector. */
export function blueGreenStrategy(options: BlueGreenStrategyOptions = {}): StrategyV1 {
  const { pollIntervalMs } = parsePluginOptions('blueGreen', pollingOptions, options);
  return {
    specificationVersion: 'v1',
    kind: 'blueGreen',
    plan: planBlueGreen,
    async runStep(ctx: StepContextV1): Promise<StepOutcomeV1> {
      switch (ctx.step.kind) {
        case 'deploy':
          return deployBlueGreen(ctx, { pollIntervalMs });
        case 'redirect':
          return redirectBlueGreen(ctx);
        case 'shutdown':
          return shutDownOldVersion(ctx);
        default:
          return { status: 'failed', reason: `the blueGreen strategy does not run "${ctx.step.kind}" steps` };
      }
    },
    rollback: rollbackBlueGreen,
  };
}
