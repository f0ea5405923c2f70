import { describeStep, FerryInputError, type CanaryStrategyConfig, type PlannedStageV1, type PlannedStepV1, type SetWeightStep, type StrategyConfig } from '@ferry/core';
import { stepKindConfig, stepKindName } from '../steps/step-kind-name.js';

/**
 * The stages of a canary rollout, each with one step, in order:
 * `deploy` (new ReplicaSet at 0 replicas, other manifests applied); the configured steps
 * (a leading pause is preceded by `setWeight 0`: it runs with no canary traffic); the
 * implicit `setWeight 100` (unless the last step already is one); `promote`.
 * The final weight and `promote` are `alwaysRun`: on an application's first deployment
 * `deploy` skips everything else and the new version goes straight to 100%.
 */
export function planCanary(block: StrategyConfig): PlannedStageV1[] {
  if (block.kind !== 'canary') throw new FerryInputError(`strategy "${block.name}" is ${block.kind}, not canary`, { code: 'wrong_strategy' });
  const steps: PlannedStepV1[] = [{ id: 'deploy', kind: 'deploy', runner: 'strategy', title: 'Deploy the new ReplicaSet at 0 replicas and apply the other manifests', config: {} }];

  const configured = (block as CanaryStrategyConfig).steps;
  if (configured[0]?.kind === 'pause') steps.push(setWeight('leading-pause-weight', 0, 'setWeight 0% (leading pause)'));
  configured.forEach((step, i) => {
    const id = `steps[${i}]`;
    if (step.kind === 'setWeight') steps.push(setWeight(id, step.weight, describeStep(step)));
    else steps.push({ id, kind: stepKindName(step), runner: 'stepKind', title: describeStep(step), config: stepKindConfig(step) });
  });

  const last = steps[steps.length - 1];
  if (last?.kind === 'setWeight' && (last.config as SetWeightStep).weight === 100) last.alwaysRun = true;
  else steps.push({ ...setWeight('final-weight', 100, 'setWeight 100% (final)'), alwaysRun: true });

  steps.push({ id: 'promote', kind: 'promote', runner: 'strategy', title: 'Promote: scale the old ReplicaSets to zero and remove them', config: {}, alwaysRun: true });
  return steps.map((step) => ({ name: step.id, steps: [step] }));
}

function setWeight(id: string, weight: number, title: string): PlannedStepV1 {
  const config: SetWeightStep = { kind: 'setWeight', weight };
  return { id, kind: 'setWeight', runner: 'strategy', title, config };
}
