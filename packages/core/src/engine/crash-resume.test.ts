import { describe, expect, it } from 'vitest';
import type { DeployFile } from '../config/types.js';
import { definePlugin } from '../plugins/define-plugin.js';
import type { ClusterConnectorV1 } from '../plugins/contracts.js';
import type { DeploymentStateV1, StoreV1 } from '../store/contracts.js';
import { isTerminalDeploymentStatus } from '../store/statuses.js';
import {
  MemoryStore,
  analysisStep,
  approvalPause,
  crashAfter,
  createManualClock,
  createRecordingCluster,
  driveToEnd,
  dyingConnector,
  scriptedMetricProvider,
  testCanaryStrategy,
  testDeployFile,
  testQuery,
  testTarget,
  testThresholdJudge,
  type ManualClock,
  type RecordingCluster,
} from '../testing/index.js';
import { createEngine, type FerryEngine } from './create-engine.js';

/** deploy, setWeight 25, analysis (2 windows), setWeight 50, approval, promote: 6 steps. */
function canaryFile(): DeployFile {
  return testDeployFile({
    targets: { prod: testTarget('prod', { strategy: 'c' }) },
    strategies: {
      c: {
        kind: 'canary',
        name: 'c',
        steps: [{ kind: 'setWeight', weight: 25 }, analysisStep({ queries: ['errors'], numberOfJudgmentRuns: 2 }), { kind: 'setWeight', weight: 50 }, approvalPause()],
      },
    },
    analysis: { defaultMetricProviderName: 'prom', queries: { errors: testQuery('errors') } },
  });
}

function engineFor(store: StoreV1, clock: ManualClock, connector: ClusterConnectorV1): FerryEngine {
  return createEngine({
    store,
    clock,
    owner: 'hub-1',
    plugins: [
      definePlugin({
        id: 'test.kit',
        register(ctx) {
          ctx.strategies.add(testCanaryStrategy());
          ctx.judges.add(testThresholdJudge());
          ctx.metricProviders.add(scriptedMetricProvider('prom', () => 2));
          ctx.clusterConnectors.add(connector);
        },
      }),
    ],
  });
}

const approve = (engine: FerryEngine) => (r: { id: string }) => engine.approve(r.id, { target: 'prod', by: 'alice' });

/** What must match between runs: statuses, cursors and persisted plugin state (not timestamps of writes). */
function essence(state: DeploymentStateV1) {
  return {
    status: state.status,
    startedAt: state.startedAt,
    endedAt: state.endedAt,
    targets: Object.fromEntries(
      Object.entries(state.targets).map(([name, t]) => [
        name,
        {
          status: t.status,
          stage: t.stage,
          strategyState: t.strategyState,
          steps: Object.fromEntries(Object.entries(t.steps).map(([id, s]) => [id, { status: s.status, state: s.state, endedAt: s.endedAt }])),
        },
      ]),
    ),
  };
}

interface RunResult {
  state: DeploymentStateV1;
  operations: string[];
  commits: number;
}

async function uninterrupted(): Promise<RunResult> {
  const store = new MemoryStore();
  const counting = crashAfter(store, Number.POSITIVE_INFINITY);
  const clock = createManualClock();
  const cluster = createRecordingCluster();
  const engine = engineFor(counting.store, clock, cluster.connector);
  const d = await engine.start(canaryFile());
  const end = await driveToEnd(engine, clock, d.id, { onAwaiting: approve(engine) });
  await engine.close();
  return { state: end.state, operations: cluster.lines(), commits: counting.commits() };
}

async function crashingAt(n: number): Promise<RunResult & { events: string[] }> {
  const store = new MemoryStore();
  const crashing = crashAfter(store, n);
  const clock = createManualClock();
  const cluster: RecordingCluster = createRecordingCluster();
  const first = engineFor(crashing.store, clock, dyingConnector(cluster.connector, crashing.isCrashed));
  // Drive the first engine until its store "crashes" (possibly inside start itself).
  void first.start(canaryFile()).catch(() => undefined);
  for (let tick = 0; tick < 200 && !crashing.isCrashed(); tick++) {
    await Promise.race([first.idle(), crashing.crashed]);
    if (crashing.isCrashed()) break;
    const [summary] = await store.list({ application: 'app' });
    if (!summary || isTerminalDeploymentStatus(summary.state.status)) break;
    if (summary.state.status === 'AWAITING_APPROVAL') {
      await Promise.race([approve(first)(summary), crashing.crashed]);
      continue;
    }
    clock.runNext();
  }
  expect(crashing.isCrashed()).toBe(true);
  // A fresh engine under the same name, on the same store and cluster, finishes the job.
  const second = engineFor(store, clock, cluster.connector);
  await second.idle();
  const [summary] = await store.list({ application: 'app' });
  const end = await driveToEnd(second, clock, summary!.id, { onAwaiting: approve(second) });
  const events = (await second.listEvents(end.id)).map((e) => e.type);
  await second.close();
  return { state: end.state, operations: cluster.lines(), commits: n, events };
}

const firstOccurrences = (lines: string[]) => lines.filter((line, i) => lines.indexOf(line) === i);

describe('engine: crash and resume after every persisted transition', () => {
  it('ends in the same state with the same cluster operations (repeats allowed, nothing skipped)', async () => {
    const baseline = await uninterrupted();
    expect(baseline.state.status).toBe('SUCCEEDED');
    expect(baseline.operations).toEqual([
      'apply prod-cluster Deployment/shop/web {"replicas":4,"template":{"spec":{"containers":[{"name":"web","image":"web:2"}]}}}',
      'apply prod-cluster ConfigMap/shop/app-weight {"weight":"25"}',
      'apply prod-cluster ConfigMap/shop/app-weight {"weight":"50"}',
      'apply prod-cluster ConfigMap/shop/app-weight {"weight":"100"}',
    ]);
    // create + every step start/outcome, analysis window, approval and the end (no-op updates count too).
    expect(baseline.commits).toBeGreaterThanOrEqual(12);
    let repeatedOperations = 0;
    // After the last transition there is nothing left to lose, so the crash points are 1..last-1.
    for (let n = 1; n < baseline.commits; n++) {
      const run = await crashingAt(n);
      repeatedOperations += run.operations.length - baseline.operations.length;
      expect({ n, state: essence(run.state) }).toEqual({ n, state: essence(baseline.state) });
      expect({ n, ops: firstOccurrences(run.operations) }).toEqual({ n, ops: baseline.operations });
      expect(run.events.filter((t) => t === 'deployment.completed')).toHaveLength(1);
      expect(run.events.filter((t) => t === 'analysis.measured').length).toBeGreaterThanOrEqual(2);
    }
    // Some crashes landed between a step's cluster write and its persisted outcome: re-run, not skipped.
    expect(repeatedOperations).toBeGreaterThan(0);
  });
});
