import type { PlanV1 } from './types.js';

/** The plan as a readable tree per target (what `ferry validate` prints). */
export function renderPlan(plan: PlanV1): string {
  const lines: string[] = [`application ${plan.application}`];
  for (const target of plan.targets) {
    const strategy = target.strategy ? `strategy ${target.strategy.name} (${target.strategy.kind})` : 'no strategy: apply manifests';
    const deps = target.dependsOn.length > 0 ? `, after ${target.dependsOn.join(', ')}` : '';
    lines.push(`target ${target.name} → ${target.account}/${target.namespace}, ${strategy}${deps}`);
    target.stages.forEach((stage, s) => {
      const lastStage = s === target.stages.length - 1;
      const parallel = stage.steps.length > 1 ? ' (in parallel)' : '';
      lines.push(`${lastStage ? '└─' : '├─'} ${stage.name}${parallel}`);
      stage.steps.forEach((step, i) => {
        const lastStep = i === stage.steps.length - 1;
        const always = step.alwaysRun ? ' [always runs]' : '';
        lines.push(`${lastStage ? '   ' : '│  '}${lastStep ? '└─' : '├─'} ${step.id}  ${step.title}${always}`);
      });
    });
  }
  return lines.join('\n');
}
