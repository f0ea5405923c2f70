import type { PlannedStageV1 } from '../plugins/contracts.js';

/** Where a stage sits in a target: before-constraints, the strategy's stages, after-constraints. */
export type StagePhase = 'before' | 'strategy' | 'after';

export interface PlanStageV1 extends PlannedStageV1 {
  phase: StagePhase;
}

export interface PlanTargetV1 {
  name: string;
  account: string;
  namespace: string;
  dependsOn: string[];
  /** The strategy's key and kind; absent = manifests applied without a rollout strategy. */
  strategy?: { name: string; kind: string };
  /** Run in order; the steps of one stage run in parallel. */
  stages: PlanStageV1[];
}

/** A deployment's plan: targets in topological order (dependencies first). */
export interface PlanV1 {
  application: string;
  targets: PlanTargetV1[];
}
