/**
 * `judge: mannWhitney` through the real engine and canary strategy: the analysis step asks
 * for the canary and the stable ReplicaSet's series, and this judge decides on them.
 */
import { createEngine, definePlugin, type DeployFile, type MetricProviderV1, type StepConfig, type StrategyConfig } from '@ferry/core';
import { createFakeCluster, createManualClock, driveToEnd, MemoryStore, testDeployFile, testTarget } from '@ferry/core/testing';
import { describe, expect, it } from 'vitest';
import { managedReplicaSet } from '../../kubernetes/managed-replica-set.js';
import { inNamespace } from '../../kubernetes/objects.js';
import { canary, mannWhitneyJudgePlugin } from '../../plugins.js';
import { service, webDeployment } from '../../test-support/harness.js';

const seconds = (n: number) => ({ duration: n, unit: 'seconds' as const, ms: n * 1000 });
const rsName = (image: string) => managedReplicaSet(inNamespace(webDeployment(image), 'shop'), { application: 'a', deploymentId: 'd', environment: 'e' }).name;

/** 30 points around `center`, deterministic. */
const wobble = (center: number) => Array.from({ length: 30 }, (_, i) => center * (1 + 0.2 * Math.sin(i * 1.7)));

function seriesProvider(errorRate: Record<string, number>, asked: string[]): MetricProviderV1 {
  return {
    specificationVersion: 'v1',
    kind: 'series',
    name: 'prom',
    async query({ query }) {
      asked.push(query);
      const rs = /rs="([^"]*)"/.exec(query)?.[1] ?? '';
      const series = wobble(errorRate[rs] ?? 0.01);
      return { value: series.reduce((a, b) => a + b, 0) / series.length, series };
    },
    async testConnection() {
      return { ok: true };
    },
  };
}

const analysis: StepConfig = {
  kind: 'analysis',
  context: {},
  interval: seconds(60),
  numberOfJudgmentRuns: 1,
  rollBackMode: 'automatic',
  rollForwardMode: 'automatic',
  lookbackMethod: 'growing',
  abortOnFailedJudgment: false,
  queries: ['errorRate'],
  judge: 'mannWhitney',
  noData: 'fail',
};
const strategy: StrategyConfig = { kind: 'canary', name: 'rollout', steps: [{ kind: 'setWeight', weight: 25 }, analysis, { kind: 'setWeight', weight: 50 }] };

function file(image: string): DeployFile {
  return testDeployFile(
    {
      application: 'shop-web',
      targets: { prod: testTarget('prod', { strategy: 'rollout' }) },
      strategies: { rollout: strategy },
      analysis: { defaultMetricProviderName: 'prom', queries: { errorRate: { name: 'errorRate', queryTemplate: 'errors{rs="{{armory.replicaSetName}}"}', upperLimit: 0.05, lowerLimit: 0 } } },
    },
    [webDeployment(image), service('web')],
  );
}

async function rollOut(canaryErrorRate: number) {
  const clock = createManualClock();
  const cluster = createFakeCluster({ clock });
  const asked: string[] = [];
  const engine = createEngine({
    store: new MemoryStore(),
    clock,
    plugins: [
      canary(),
      mannWhitneyJudgePlugin(),
      definePlugin({
        id: 'test.environment',
        register(ctx) {
          ctx.clusterConnectors.add(cluster.connector);
          ctx.metricProviders.add(seriesProvider({ [rsName('web:1')]: 0.01, [rsName('web:2')]: canaryErrorRate }, asked));
        },
      }),
    ],
  });
  const first = await engine.start(file('web:1'));
  expect((await driveToEnd(engine, clock, first.id)).state.status).toBe('SUCCEEDED');
  const second = await engine.start(file('web:2'));
  const done = await driveToEnd(engine, clock, second.id);
  const measured = (await engine.listEvents(second.id)).filter((e) => e.type === 'analysis.measured');
  await engine.close();
  return { done, measured, asked };
}

describe('engine + canary + mannWhitney judge', () => {
  it('rolls back a canary whose error rate is clearly above the stable version', async () => {
    const { done, measured, asked } = await rollOut(0.3);
    expect(asked).toEqual([`errors{rs="${rsName('web:2')}"}`, `errors{rs="${rsName('web:1')}"}`]);
    expect(done.state.targets['prod']?.status).toBe('ROLLED_BACK');
    expect(measured).toHaveLength(1);
    expect(measured[0]?.data).toMatchObject({ result: 'high', verdict: 'fail', canaryPoints: 30, baselinePoints: 30, detail: { classification: 'High', canaryCount: 30, baselineCount: 30 } });
    // Complete separation of 30 against 30 without ties: exact p = 2/C(60,30) = 1.7e-17.
    expect((measured[0]?.data['reasons'] as string[])[0]).toBe(
      'errorRate: High — canary median 0.297 vs baseline 0.00989, effect size 30.0×, 95% CI of shift [0.263, 0.314], n=30/30, p=1.7e-17',
    );
  });

  it('promotes a canary that behaves like the stable version', async () => {
    const { done, measured } = await rollOut(0.01);
    expect(done.state.status).toBe('SUCCEEDED');
    expect(measured[0]?.data).toMatchObject({ result: 'pass', verdict: 'pass' });
  });
});
