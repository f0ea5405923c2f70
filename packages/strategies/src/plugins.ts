import { definePlugin, type FerryPluginV1 } from '@ferry/core';
import { blueGreenStrategy, type BlueGreenStrategyOptions } from './blue-green/strategy.js';
import { canaryStrategy, type CanaryStrategyOptions } from './canary/strategy.js';
import { thresholdJudge as createThresholdJudge } from './judges/threshold.js';
import { mannWhitneyJudge, type MannWhitneyJudgeOptions } from './judges/mann-whitney/index.js';

/** The canary strategy as a plugin: `createEngine({ plugins: [canary()] })`. */
export function canary(options: CanaryStrategyOptions = {}): FerryPluginV1 {
  const strategy = canaryStrategy(options);
  return definePlugin({ id: 'strategies.canary', register: (ctx) => ctx.strategies.add(strategy) });
}

/** The blue/green strategy as a plugin. */
export function blueGreen(options: BlueGreenStrategyOptions = {}): FerryPluginV1 {
  const strategy = blueGreenStrategy(options);
  return definePlugin({ id: 'strategies.blueGreen', register: (ctx) => ctx.strategies.add(strategy) });
}

/** The threshold judge (`judge: threshold`, the default) as a plugin. */
export function thresholdJudgePlugin(): FerryPluginV1 {
  const judge = createThresholdJudge();
  return definePlugin({ id: 'judges.threshold', register: (ctx) => ctx.judges.add(judge) });
}

/** The Mann-Whitney judge (`judge: mannWhitney`) as a plugin; options per query name (see its README). */
export function mannWhitneyJudgePlugin(options: MannWhitneyJudgeOptions = {}): FerryPluginV1 {
  const judge = mannWhitneyJudge(options);
  return definePlugin({ id: 'judges.mannWhitney', register: (ctx) => ctx.judges.add(judge) });
}
