/**
 * @ferry/core/testing — in-memory parts for unit tests and benchmarks only. Nothing a user
 * runs defaults to these.
 */
export { MemoryStore } from './memory-store.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export { silentLogger } from '../engine/silent-logger.js';
export { createRecordingCluster, type RecordingCluster, type RecordedOperation } from './recording-cluster.js';
export { testCanaryStrategy, weightMap, type TestStrategyOptions } from './test-strategy.js';
export { testThresholdJudge, scriptedMetricProvider, type ScriptedMetricProvider, type ScriptedQuery } from './test-analysis.js';
export {
  seconds,
  testTarget,
  timedPause,
  approvalPause,
  analysisStep,
  testQuery,
  testDeployment,
  testDeployFile,
} from './test-deploy-file.js';
export { driveToEnd } from './drive.js';
export { crashAfter, type CrashingStore } from './crashing-store.js';
export { dyingConnector } from './dying-connector.js';
// (strategies helper: fake cluster)
export { createFakeCluster, compileSelector, type FakeCluster, type FakeClusterOptions, type FakeOperation } from './fake-cluster.js';
