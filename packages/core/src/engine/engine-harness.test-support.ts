import { definePlugin } from '../plugins/define-plugin.js';
import type { StepKindV1 } from '../plugins/contracts.js';
import { createEngine, type CreateEngineOptions, type FerryEngine } from './create-engine.js';
import {
  MemoryStore,
  createManualClock,
  createRecordingCluster,
  scriptedMetricProvider,
  testCanaryStrategy,
  testThresholdJudge,
  type ManualClock,
  type RecordingCluster,
  type ScriptedMetricProvider,
  type TestStrategyOptions,
} from '../testing/index.js';

export interface Harness {
  store: MemoryStore;
  clock: ManualClock;
  cluster: RecordingCluster;
  metrics: ScriptedMetricProvider;
  engine: FerryEngine;
  /** Another engine on the same store and clock. */
  another(options?: Partial<CreateEngineOptions> & { cluster?: RecordingCluster }): FerryEngine;
}

/** A `runWebhook` stand-in: succeeds unless its context says `fail: "yes"`. */
export function testWebhookStepKind(calls: string[] = []): StepKindV1 {
  return {
    specificationVersion: 'v1',
    kind: 'runWebhook',
    async run(ctx) {
      const step = ctx.step.config as { name: string; context: Record<string, string> };
      calls.push(`${ctx.stepId} ${step.name}`);
      return step.context['fail'] === 'yes' ? { status: 'failed', reason: `webhook ${step.name} failed` } : { status: 'succeeded' };
    },
  };
}

export function createHarness(
  options: { strategy?: TestStrategyOptions; metric?: (query: string, index: number) => number | null; webhookCalls?: string[]; leaseTtlMs?: number; owner?: string } = {},
): Harness {
  const store = new MemoryStore();
  const clock = createManualClock();
  const cluster = createRecordingCluster();
  const metrics = scriptedMetricProvider('prom', (input, index) => (options.metric ? options.metric(input.query, index) : 1));
  const plugins = (c: RecordingCluster) => [
    definePlugin({
      id: 'test.kit',
      register(ctx) {
        ctx.strategies.add(testCanaryStrategy(options.strategy));
        ctx.judges.add(testThresholdJudge());
        ctx.metricProviders.add(metrics);
        ctx.clusterConnectors.add(c.connector);
        ctx.stepKinds.add(testWebhookStepKind(options.webhookCalls));
      },
    }),
  ];
  const make = (extra: Partial<CreateEngineOptions> & { cluster?: RecordingCluster } = {}) =>
    createEngine({ store, clock, plugins: plugins(extra.cluster ?? cluster), leaseTtlMs: options.leaseTtlMs ?? 30_000, ...(options.owner ? { owner: options.owner } : {}), ...extra });
  return { store, clock, cluster, metrics, engine: make(), another: make };
}
