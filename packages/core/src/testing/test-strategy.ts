import type { CanaryStrategyConfig, KubeObject } from '../config/types.js';
import type { PlannedStageV1, PlannedStepV1, StepContextV1, StepOutcomeV1, StrategyV1 } from '../plugins/contracts.js';
import { describeStep } from '../plan/describe-step.js';

export interface TestStrategyOptions {
  /** Strategy steps (by planned kind) that fail, e.g. `['setWeight']`. */
  failKinds?: string[];
  /** Whether the first `deploy` step asks to skip the remaining steps (first deployment). */
  firstDeployment?: boolean;
}

/**
 * A small canary-like strategy for engine tests (kind `canary`): `deploy` applies the
 * manifests, `setWeight` and the final `promote` (always run) write the weight to a
 * ConfigMap, rollback writes weight 0. Pauses, analyses and custom steps are planned for
 * their step kinds. Every write goes through `ctx.cluster()`, so a recording cluster shows
 * exactly what a run did.
 */
export function testCanaryStrategy(options: TestStrategyOptions = {}): StrategyV1 {
  const fails = new Set(options.failKinds ?? []);
  return {
    specificationVersion: 'v1',
    kind: 'canary',
    plan(block) {
      const steps = (block as CanaryStrategyConfig).steps;
      const stages: PlannedStageV1[] = [{ name: 'deploy', steps: [planned('deploy', 'strategy', 'deploy the new version', {})] }];
      for (const step of steps) {
        if (step.kind === 'setWeight') stages.push({ name: 'setWeight', steps: [planned('setWeight', 'strategy', describeStep(step), { weight: step.weight })] });
        else {
          const kind = step.kind === 'custom' ? step.stepKind : step.kind;
          const config = step.kind === 'custom' ? (step.config as PlannedStepV1['config']) : step;
          stages.push({ name: kind, steps: [planned(kind, 'stepKind', describeStep(step), config)] });
        }
      }
      stages.push({ name: 'promote', steps: [{ ...planned('promote', 'strategy', 'promote to 100%', { weight: 100 }), alwaysRun: true }] });
      return stages;
    },
    async runStep(ctx: StepContextV1): Promise<StepOutcomeV1> {
      if (fails.has(ctx.step.kind)) return { status: 'failed', reason: `${ctx.step.kind} failed on purpose` };
      const cluster = await ctx.cluster();
      if (ctx.step.kind === 'deploy') {
        for (const object of ctx.manifests) await cluster.apply(object, { fieldManager: 'ferry', signal: ctx.signal });
        return {
          status: 'succeeded',
          strategyState: { replicaSetName: `${ctx.application}-canary`, weight: 0 },
          ...(options.firstDeployment ? { skipRemainingSteps: true } : {}),
        };
      }
      const weight = (ctx.step.config as { weight: number }).weight;
      await cluster.apply(weightMap(ctx.application, ctx.target.namespace, weight), { fieldManager: 'ferry', signal: ctx.signal });
      return { status: 'succeeded', strategyState: { replicaSetName: `${ctx.application}-canary`, weight } };
    },
    async rollback(ctx) {
      const cluster = await ctx.cluster();
      await cluster.apply(weightMap(ctx.config.application, ctx.target.namespace, 0), { fieldManager: 'ferry', signal: ctx.signal });
    },
  };
}

function planned(kind: string, runner: PlannedStepV1['runner'], title: string, config: PlannedStepV1['config']): PlannedStepV1 {
  return { id: '', kind, runner, title, config };
}

/** The ConfigMap the test strategy records canary weights in. */
export function weightMap(application: string, namespace: string, weight: number): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${application}-weight`, namespace }, data: { weight: String(weight) } };
}
