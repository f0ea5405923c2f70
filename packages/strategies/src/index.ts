/**
 * @ferry/strategies — canary and blue/green rollouts over Ferry-managed ReplicaSets, and
 * the judges that decide analyses.
 */

// --- plugins (what `createEngine({ plugins })` takes) ---
export { canary, blueGreen, thresholdJudgePlugin } from './plugins.js';
export { mannWhitneyJudgePlugin } from './plugins.js';

// --- the contracts' objects, for hosts that register them themselves ---
export { canaryStrategy, type CanaryStrategyOptions } from './canary/strategy.js';
export { blueGreenStrategy, type BlueGreenStrategyOptions } from './blue-green/strategy.js';
export { thresholdJudge, judgeThresholds } from './judges/threshold.js';
export { mannWhitneyJudge, mannWhitneyTest, type MannWhitneyJudgeOptions, type MannWhitneyResult } from './judges/mann-whitney/index.js';

// --- building blocks ---
export { replicasForWeight, canaryReplicasForTrafficWeight } from './pod-ratio.js';
export { podTemplateHash, canonicalJson } from './kubernetes/pod-template-hash.js';
export { managedReplicaSet, type ManagedReplicaSet, type DeploymentFacts } from './kubernetes/managed-replica-set.js';
export { HASH_LABEL, ARMORY_HASH_LABEL, DEPLOYMENT_LABEL, POD_FACTS } from './kubernetes/labels.js';
export type { RolloutState, DeploymentRollout, VersionState, TrafficRouteState } from './kubernetes/rollout-state.js';
