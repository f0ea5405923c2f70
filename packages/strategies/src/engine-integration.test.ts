/**
 * Full deployments through the real engine: MemoryStore, the fake cluster and a manual
 * clock, with this package's strategies and judge registered as plugins.
 */
import { createEngine, definePlugin, type DeployFile, type KubeObject, type StepConfig, type StepKindV1, type StrategyConfig } from '@ferry/core';
import {
  approvalPause,
  createFakeCluster,
  createManualClock,
  driveToEnd,
  MemoryStore,
  scriptedMetricProvider,
  testDeployFile,
  testTarget,
  timedPause,
  type FakeCluster,
  type ManualClock,
} from '@ferry/core/testing';
import { describe, expect, it } from 'vitest';
import { managedReplicaSet } from './kubernetes/managed-replica-set.js';
import { inNamespace } from './kubernetes/objects.js';
import { blueGreen, canary, thresholdJudgePlugin } from './plugins.js';
import { service, webDeployment } from './test-support/harness.js';

const ACCOUNT = 'prod-cluster';
const seconds = (n: number) => ({ duration: n, unit: 'seconds' as const, ms: n * 1000 });
const nameOf = (image: string) => managedReplicaSet(inNamespace(webDeployment(image), 'shop'), { application: 'a', deploymentId: 'd', environment: 'e' }).name;
const hashOf = (image: string) => managedReplicaSet(inNamespace(webDeployment(image), 'shop'), { application: 'a', deploymentId: 'd', environment: 'e' }).hash;

/** Stand-ins for step kinds the integrations package provides: they record and succeed. */
function recordingStepKind(kind: string, calls: string[]): StepKindV1 {
  return {
    specificationVersion: 'v1',
    kind,
    async run(ctx) {
      calls.push(`${kind} at weight ${(ctx.strategyState as { weight?: number } | undefined)?.weight}`);
      return { status: 'succeeded' };
    },
  };
}

function setup(options: { errorRate?: number; readyDelayMs?: number; neverReady?: RegExp } = {}) {
  const clock: ManualClock = createManualClock();
  const cluster: FakeCluster = createFakeCluster({ clock, ...(options.readyDelayMs ? { readyDelayMs: options.readyDelayMs } : {}), ...(options.neverReady ? { neverReadyImages: options.neverReady } : {}) });
  const calls: string[] = [];
  const metrics = scriptedMetricProvider('prom', () => options.errorRate ?? 0.01);
  const engine = createEngine({
    store: new MemoryStore(),
    clock,
    plugins: [
      canary(),
      blueGreen(),
      thresholdJudgePlugin(),
      definePlugin({
        id: 'test.environment',
        register(ctx) {
          ctx.clusterConnectors.add(cluster.connector);
          ctx.metricProviders.add(metrics);
          for (const kind of ['runWebhook', 'exposeServices', 'smokeTest']) ctx.stepKinds.add(recordingStepKind(kind, calls));
        },
      }),
    ],
  });
  return { clock, cluster, calls, engine, metrics };
}

function file(strategy: StrategyConfig, image: string, extra: KubeObject[] = []): DeployFile {
  return testDeployFile(
    {
      application: 'shop-web',
      targets: { prod: testTarget('prod', { strategy: strategy.name }) },
      strategies: { [strategy.name]: strategy },
      analysis: { defaultMetricProviderName: 'prom', queries: { errorRate: { name: 'errorRate', queryTemplate: 'errors{app="{{armory.applicationName}}",rs="{{armory.replicaSetName}}"}', upperLimit: 0.05, lowerLimit: 0 } } },
      webhooks: { scan: { name: 'scan', method: 'POST', uriTemplate: 'https://ci.invalid/scan', networkMode: 'direct', headers: [], retryCount: 0, disableCallback: true, callbackTimeout: seconds(60) } },
    },
    [webDeployment(image), service('web'), ...extra],
  );
}

const analysis: StepConfig = {
  kind: 'analysis',
  context: {},
  interval: seconds(60),
  numberOfJudgmentRuns: 2,
  rollBackMode: 'automatic',
  rollForwardMode: 'automatic',
  lookbackMethod: 'growing',
  abortOnFailedJudgment: false,
  queries: ['errorRate'],
  judge: 'threshold',
  noData: 'fail',
};

const everyStepKind: StepConfig[] = [
  { kind: 'setWeight', weight: 25 },
  timedPause(30),
  analysis,
  { kind: 'runWebhook', name: 'scan', context: {} },
  { kind: 'exposeServices', services: ['web'] },
  approvalPause(),
  { kind: 'custom', stepKind: 'smokeTest', config: { path: '/health' } },
  { kind: 'setWeight', weight: 50 },
];
const canaryBlock = (steps: StepConfig[]): StrategyConfig => ({ kind: 'canary', name: 'rollout', steps });

function replicaHistory(cluster: FakeCluster, name: string): number[] {
  return cluster.operations({ kind: 'ReplicaSet' }).filter((op) => op.ref.name === name && op.replicas !== undefined && op.verb !== 'delete').map((op) => op.replicas as number);
}

async function deployV1(env: ReturnType<typeof setup>, strategy: StrategyConfig) {
  const first = await env.engine.start(file(strategy, 'web:1'));
  const done = await driveToEnd(env.engine, env.clock, first.id);
  expect(done.state.status).toBe('SUCCEEDED');
  env.cluster.clearOperations();
  env.calls.length = 0;
}

const replicaSets = (cluster: FakeCluster) => Object.fromEntries(cluster.objects(ACCOUNT, { kind: 'ReplicaSet' }).map((rs) => [rs.metadata.name, (rs.spec as { replicas: number }).replicas]));

describe('engine + canary', () => {
  it('deploys a first version straight to 100% with no steps run', async () => {
    const env = setup();
    const d = await env.engine.start(file(canaryBlock(everyStepKind), 'web:1'));
    const done = await driveToEnd(env.engine, env.clock, d.id);
    expect(done.state.status).toBe('SUCCEEDED');
    expect(env.calls).toEqual([]);
    expect(replicaSets(env.cluster)).toEqual({ [nameOf('web:1')]: 4 });
    const steps = Object.values(done.state.targets['prod']?.steps ?? {}).map((s) => s.status);
    expect(steps.filter((s) => s === 'SKIPPED')).toHaveLength(everyStepKind.length);
    await env.engine.close();
  });

  it('runs a canary with every step kind over a stable version', async () => {
    const env = setup({ readyDelayMs: 3000 });
    await deployV1(env, canaryBlock(everyStepKind));
    const d = await env.engine.start(file(canaryBlock(everyStepKind), 'web:2'));
    let approvals = 0;
    const done = await driveToEnd(env.engine, env.clock, d.id, {
      onAwaiting: async () => {
        approvals++;
        expect(replicaSets(env.cluster)).toEqual({ [nameOf('web:1')]: 3, [nameOf('web:2')]: 1 });
        await env.engine.approve(d.id, { target: 'prod', by: 'alice' });
      },
    });
    expect(done.state.status).toBe('SUCCEEDED');
    expect(approvals).toBe(1);
    expect(env.calls).toEqual(['runWebhook at weight 25', 'exposeServices at weight 25', 'smokeTest at weight 25']);
    expect(replicaSets(env.cluster)).toEqual({ [nameOf('web:2')]: 4 });
    expect(replicaHistory(env.cluster, nameOf('web:2'))).toEqual([0, 1, 2, 4]);
    expect(replicaHistory(env.cluster, nameOf('web:1'))).toEqual([3, 2, 0]);
    const events = (await env.engine.listEvents(d.id)).map((e) => e.type);
    expect(events).toContain('strategy.versionsResolved');
    expect(events.filter((t) => t === 'strategy.weightSet')).toHaveLength(3);
    expect(events.filter((t) => t === 'analysis.measured')).toHaveLength(2);
    // Queries name the canary ReplicaSet through the strategy state.
    expect(env.metrics.queries.map((q) => q.query)).toEqual(Array(2).fill(`errors{app="shop-web",rs="${nameOf('web:2')}"}`));
    await env.engine.close();
  });

  it('rolls back when the analysis fails: stable back to full, canary removed', async () => {
    const env = setup({ errorRate: 0.5 });
    await deployV1(env, canaryBlock([{ kind: 'setWeight', weight: 50 }, analysis]));
    const d = await env.engine.start(file(canaryBlock([{ kind: 'setWeight', weight: 50 }, analysis]), 'web:2'));
    const done = await driveToEnd(env.engine, env.clock, d.id);
    expect(done.state.status).toBe('FAILED');
    expect(done.state.targets['prod']?.status).toBe('ROLLED_BACK');
    expect(replicaSets(env.cluster)).toEqual({ [nameOf('web:1')]: 4 });
    expect(replicaHistory(env.cluster, nameOf('web:1'))).toEqual([2, 4]);
    await env.engine.close();
  });

  it('fails and rolls back a canary whose pods never become ready', async () => {
    const env = setup({ neverReady: /:broken$/ });
    await deployV1(env, canaryBlock([{ kind: 'setWeight', weight: 25 }]));
    const broken = file(canaryBlock([{ kind: 'setWeight', weight: 25 }]), 'web:broken');
    broken.config.deploymentConfig.timeout = seconds(60);
    const d = await env.engine.start(broken);
    const done = await driveToEnd(env.engine, env.clock, d.id);
    expect(done.state.targets['prod']?.status).toBe('ROLLED_BACK');
    const failedStep = Object.values(done.state.targets['prod']?.steps ?? {}).find((s) => s.status === 'FAILED');
    expect(failedStep?.reason).toBe(`ReplicaSet shop/${nameOf('web:broken')} has 0/1 replicas ready after 60 seconds (deploymentConfig.timeout)`);
    expect(replicaSets(env.cluster)).toEqual({ [nameOf('web:1')]: 4 });
    await env.engine.close();
  });
});

describe('engine + blue/green', () => {
  const bg: StrategyConfig = {
    kind: 'blueGreen',
    name: 'bg',
    activeService: 'web',
    previewService: 'web-preview',
    redirectTrafficAfter: [approvalPause(), { kind: 'runWebhook', name: 'scan', context: {} }],
    shutDownOldVersionAfter: [timedPause(600)],
  };
  const selectorOf = (cluster: FakeCluster, name: string) =>
    (cluster.objects(ACCOUNT, { kind: 'Service' }).find((s) => s.metadata.name === name)?.spec as { selector: Record<string, string> }).selector;

  it('previews, waits for approval, redirects, then shuts the old version down', async () => {
    const env = setup();
    const withPreview = (image: string) => file(bg, image, [service('web-preview')]);
    const first = await env.engine.start(withPreview('web:1'));
    expect((await driveToEnd(env.engine, env.clock, first.id)).state.status).toBe('SUCCEEDED');
    env.calls.length = 0;

    const d = await env.engine.start(withPreview('web:2'));
    const done = await driveToEnd(env.engine, env.clock, d.id, {
      onAwaiting: async () => {
        expect(replicaSets(env.cluster)).toEqual({ [nameOf('web:1')]: 4, [nameOf('web:2')]: 4 });
        expect(selectorOf(env.cluster, 'web')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': hashOf('web:1') });
        expect(selectorOf(env.cluster, 'web-preview')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': hashOf('web:2') });
        await env.engine.approve(d.id, { target: 'prod', by: 'alice' });
      },
    });
    expect(done.state.status).toBe('SUCCEEDED');
    expect(env.calls).toEqual(['runWebhook at weight 0']);
    expect(selectorOf(env.cluster, 'web')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': hashOf('web:2') });
    expect(replicaSets(env.cluster)).toEqual({ [nameOf('web:2')]: 4 });
    await env.engine.close();
  });

  it('rolls back when the redirect is rejected: active stays on the old version, new ReplicaSet removed', async () => {
    const env = setup();
    const withPreview = (image: string) => file(bg, image, [service('web-preview')]);
    await driveToEnd(env.engine, env.clock, (await env.engine.start(withPreview('web:1'))).id);
    const d = await env.engine.start(withPreview('web:2'));
    const done = await driveToEnd(env.engine, env.clock, d.id, { onAwaiting: () => env.engine.reject(d.id, { target: 'prod', by: 'bob' }) });
    expect(done.state.targets['prod']?.status).toBe('ROLLED_BACK');
    expect(selectorOf(env.cluster, 'web')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': hashOf('web:1') });
    expect(replicaSets(env.cluster)).toEqual({ [nameOf('web:1')]: 4 });
    await env.engine.close();
  });
});
