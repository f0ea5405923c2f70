import type { DeployFile, StepConfig, TargetConfig } from '../config/types.js';
import { FerryInputError, type Diagnostic } from '../errors/index.js';
import type { Json, PlannedStepV1 } from '../plugins/contracts.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { describeStep } from './describe-step.js';
import { topologicalOrder } from './topological-order.js';
import type { PlanStageV1, PlanTargetV1, PlanV1 } from './types.js';

/** The built-in step kind that applies a strategy-less target's manifests. */
export const APPLY_STEP_KIND = 'apply';

/**
 * Turns a loaded deploy file into a plan: targets in dependency order, each with a
 * before-constraints stage, its strategy's stages and an after-constraints stage. Checks
 * that every strategy and step kind is registered and validates custom step configs; all
 * problems are reported together in one FerryInputError with their key paths.
 */
export function buildPlan(file: DeployFile, registry: PluginRegistry): PlanV1 {
  const { config } = file;
  const problems: Diagnostic[] = [];
  const targets: PlanTargetV1[] = [];
  for (const name of topologicalOrder(config.targets)) {
    const target = config.targets[name] as TargetConfig;
    targets.push(planTarget(file, target, registry, problems));
  }
  if (problems.length > 0) {
    const summary = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new FerryInputError(`the deployment cannot be planned: ${summary}`, { code: 'invalid_plan', diagnostics: problems });
  }
  return { application: config.application, targets };
}

function planTarget(file: DeployFile, target: TargetConfig, registry: PluginRegistry, problems: Diagnostic[]): PlanTargetV1 {
  const { config } = file;
  const stages: PlanStageV1[] = [];
  const path = `targets.${target.name}`;
  const before = target.constraints.beforeDeployment.map((step, i) =>
    constraintStep(step, `${target.name}/before/${i}`, `${path}.constraints.beforeDeployment[${i}]`, file, registry, problems),
  );
  if (before.length > 0) stages.push({ name: 'beforeDeployment', phase: 'before', steps: before });

  let strategy: PlanTargetV1['strategy'];
  if (target.strategy === undefined) {
    stages.push({
      name: 'apply',
      phase: 'strategy',
      steps: [{ id: `${target.name}/strategy/0`, kind: APPLY_STEP_KIND, runner: 'stepKind', title: 'apply manifests', config: {} }],
    });
    requireStepKind(APPLY_STEP_KIND, `${path}`, registry, problems);
  } else {
    const block = config.strategies[target.strategy];
    if (!block) {
      problems.push(problem(`${path}.strategy`, `unknown strategy "${target.strategy}"`, 'dangling_reference'));
    } else if (!registry.strategies.has(block.kind)) {
      problems.push(problem(`strategies.${target.strategy}`, `no plugin provides the "${block.kind}" strategy`, 'unknown_strategy'));
    } else {
      strategy = { name: target.strategy, kind: block.kind };
      let index = 0;
      for (const stage of registry.strategy(block.kind).plan(block, { target, config })) {
        const steps = stage.steps.map((step) => {
          const id = `${target.name}/strategy/${index++}`;
          const planned = { ...step, id };
          if (step.runner === 'stepKind') validateStrategyStep(planned, `strategies.${target.strategy}`, file, registry, problems);
          return planned;
        });
        stages.push({ name: stage.name, phase: 'strategy', steps });
      }
    }
  }

  const after = target.constraints.afterDeployment.map((step, i) =>
    constraintStep(step, `${target.name}/after/${i}`, `${path}.constraints.afterDeployment[${i}]`, file, registry, problems),
  );
  if (after.length > 0) stages.push({ name: 'afterDeployment', phase: 'after', steps: after });

  return {
    name: target.name,
    account: target.account,
    namespace: target.namespace,
    dependsOn: [...target.constraints.dependsOn],
    ...(strategy ? { strategy } : {}),
    stages,
  };
}

/** A constraint step runs through the step kind of its name (a custom step: the kind it names). */
function constraintStep(step: StepConfig, id: string, path: string, file: DeployFile, registry: PluginRegistry, problems: Diagnostic[]): PlannedStepV1 {
  const kind = step.kind === 'custom' ? step.stepKind : step.kind;
  const planned: PlannedStepV1 = { id, kind, runner: 'stepKind', title: describeStep(step), config: step };
  const stepKind = registry.stepKinds.get(kind);
  if (!stepKind) {
    problems.push(problem(path, `no plugin provides the "${kind}" step kind`, 'unknown_step_kind'));
    return planned;
  }
  if (stepKind.validate) {
    const input = step.kind === 'custom' ? step.config : step;
    try {
      const parsed = stepKind.validate(input, { path: step.kind === 'custom' ? `${path}.custom.config` : path, config: file.config });
      if (step.kind === 'custom') planned.config = (parsed === undefined ? input : parsed) as Record<string, Json>;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push(problem(path, message, 'invalid_step'));
    }
  } else if (step.kind === 'custom') {
    planned.config = step.config as Record<string, Json>;
  }
  return planned;
}

/** A strategy step run by a step kind: the kind must exist, and it validates its own config. */
function validateStrategyStep(step: PlannedStepV1, path: string, file: DeployFile, registry: PluginRegistry, problems: Diagnostic[]): void {
  const stepKind = registry.stepKinds.get(step.kind);
  if (!stepKind) {
    problems.push(problem(path, `no plugin provides the "${step.kind}" step kind`, 'unknown_step_kind'));
    return;
  }
  if (!stepKind.validate) return;
  try {
    const parsed = stepKind.validate(step.config, { path, config: file.config });
    if (parsed !== undefined) step.config = parsed as PlannedStepV1['config'];
  } catch (error) {
    problems.push(problem(path, error instanceof Error ? error.message : String(error), 'invalid_step'));
  }
}

function requireStepKind(kind: string, path: string, registry: PluginRegistry, problems: Diagnostic[]): void {
  if (!registry.stepKinds.has(kind)) problems.push(problem(path, `no plugin provides the "${kind}" step kind`, 'unknown_step_kind'));
}

function problem(path: string, message: string, code: string): Diagnostic {
  return { severity: 'error', code, path, message };
}
