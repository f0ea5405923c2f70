import { describeStep, FerryInputError, type BlueGreenStrategyConfig, type DeployConfig, type PlannedStageV1, type StepConfig, type StrategyConfig, type TargetConfig } from '@ferry/core';
import { stepKindConfig, stepKindName } from '../steps/step-kind-name.js';
import { servicePairs } from './services.js';

/**
 * The stages of a blue/green rollout: `deploy` (new ReplicaSet at full size, no traffic,
 * preview Service on it); the `redirectTrafficAfter` steps in parallel; `redirect` (active
 * Service on the new version); the `shutDownOldVersionAfter` steps in parallel; `shutdown`
 * (old ReplicaSets scaled to zero and removed). `redirect` and `shutdown` are `alwaysRun`,
 * so an application's first deployment, which skips the waiting steps, still completes.
 */
export function planBlueGreen(block: StrategyConfig, ctx: { target: TargetConfig; config: DeployConfig }): PlannedStageV1[] {
  if (block.kind !== 'blueGreen') throw new FerryInputError(`strategy "${block.name}" is ${block.kind}, not blueGreen`, { code: 'wrong_strategy' });
  const bg = block as BlueGreenStrategyConfig;
  if (servicePairs(bg, ctx.config.trafficManagement, ctx.target.name).length === 0) {
    throw new FerryInputError(
      `strategies.${bg.name}.blueGreen: target "${ctx.target.name}" needs an activeService (in the strategy or in trafficManagement[].kubernetes)`,
      { code: 'missing_active_service' },
    );
  }
  const stages: PlannedStageV1[] = [
    { name: 'deploy', steps: [{ id: 'deploy', kind: 'deploy', runner: 'strategy', title: 'Deploy the new ReplicaSet at full size with no traffic; preview Service on it', config: {} }] },
  ];
  const waitStage = (name: string, steps: StepConfig[]) => {
    if (steps.length === 0) return;
    stages.push({
      name,
      steps: steps.map((step, i) => {
        if (step.kind === 'setWeight') throw new FerryInputError(`strategies.${bg.name}.blueGreen.${name}[${i}]: setWeight is not a blue/green step`, { code: 'invalid_step' });
        return { id: `${name}[${i}]`, kind: stepKindName(step), runner: 'stepKind' as const, title: describeStep(step), config: stepKindConfig(step) };
      }),
    });
  };
  waitStage('redirectTrafficAfter', bg.redirectTrafficAfter);
  stages.push({ name: 'redirect', steps: [{ id: 'redirect', kind: 'redirect', runner: 'strategy', title: 'Redirect the active Service to the new version', config: {}, alwaysRun: true }] });
  waitStage('shutDownOldVersionAfter', bg.shutDownOldVersionAfter);
  stages.push({ name: 'shutdown', steps: [{ id: 'shutdown', kind: 'shutdown', runner: 'strategy', title: 'Scale the old ReplicaSets to zero and remove them', config: {}, alwaysRun: true }] });
  return stages;
}
