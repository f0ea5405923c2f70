/**
 * Runs strategy steps the way the engine does (state carried between runs, `startedAt` kept
 * across polls, skipped steps honoured), against the in-memory fake cluster and a manual
 * clock. For this package's unit tests only; the engine itself is exercised in
 * engine-integration.test.ts.
 */
import type {
  ClusterClientV1,
  DeployConfig,
  Json,
  KubeObject,
  PlannedStepV1,
  StepContextV1,
  StepOutcomeV1,
  StrategyConfig,
  StrategyV1,
  TargetConfig,
  TrafficManagementConfig,
  TrafficProviderV1,
} from '@ferry/core';
import { createFakeCluster, createManualClock, silentLogger, type FakeCluster, type ManualClock } from '@ferry/core/testing';

export const NAMESPACE = 'shop';
export const ACCOUNT = 'prod-cluster';

export function webDeployment(image: string, options: { replicas?: number; name?: string; app?: string } = {}): KubeObject {
  const app = options.app ?? 'web';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.name ?? 'web', labels: { app } },
    spec: {
      replicas: options.replicas ?? 4,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: { containers: [{ name: 'web', image, env: [{ name: 'LOG_LEVEL', value: 'info' }] }] },
      },
    },
  };
}

export function service(name: string, app = 'web'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app }, ports: [{ port: 80 }] } };
}

export function configMap(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'elsewhere' }, data };
}

export interface HarnessOptions {
  strategy: StrategyV1;
  block: StrategyConfig;
  manifests: KubeObject[];
  deploymentId?: string;
  cluster?: FakeCluster;
  clock?: ManualClock;
  timeoutMs?: number;
  keepDeploymentObject?: boolean;
  trafficManagement?: TrafficManagementConfig[];
  trafficProviders?: TrafficProviderV1[];
}

export interface Harness {
  cluster: FakeCluster;
  clock: ManualClock;
  client: ClusterClientV1;
  config: DeployConfig;
  target: TargetConfig;
  steps: PlannedStepV1[];
  strategyState: Json | undefined;
  /** Runs a step once, recording its outcome as the engine would. */
  runOnce(step: PlannedStepV1): Promise<StepOutcomeV1>;
  /** Runs a step, advancing the clock to each `wakeAt` until it is no longer waiting. */
  runToEnd(step: PlannedStepV1, maxPolls?: number): Promise<StepOutcomeV1>;
  /** Runs every planned step in order (stepKind steps succeed at once); stops at a failure. */
  runAll(): Promise<{ outcomes: Array<{ step: PlannedStepV1; outcome: StepOutcomeV1 | 'skipped' | 'stepKind' }>; failed?: StepOutcomeV1 }>;
  step(kindOrId: string): PlannedStepV1;
  rollback(): Promise<void>;
  /** Spec replicas of every ReplicaSet, by name. */
  replicas(): Record<string, number>;
}

export function createHarness(options: HarnessOptions): Harness {
  const clock = options.clock ?? createManualClock();
  const cluster = options.cluster ?? createFakeCluster({ clock });
  const client = cluster.client(ACCOUNT, NAMESPACE);
  const target: TargetConfig = {
    name: 'prod',
    account: ACCOUNT,
    namespace: NAMESPACE,
    strategy: options.block.name,
    constraints: { dependsOn: [], beforeDeployment: [], afterDeployment: [] },
  };
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const config: DeployConfig = {
    version: 'v1',
    kind: 'kubernetes',
    application: 'shop-web',
    context: {},
    deploymentConfig: {
      timeout: { duration: timeoutMs / 60_000, unit: 'minutes', ms: timeoutMs },
      keepDeploymentObject: options.keepDeploymentObject ?? false,
      ifDeploymentInProgress: { strategy: 'reject' },
    },
    targets: { prod: target },
    manifests: [{ inline: '(built in code)' }],
    strategies: { [options.block.name]: options.block },
    analysis: { queries: {} },
    webhooks: {},
    trafficManagement: options.trafficManagement ?? [],
  };
  const steps = options.strategy.plan(options.block, { target, config }).flatMap((s) => s.steps);
  const stepStates = new Map<string, { state?: Json; startedAt: number; attempt: number }>();
  const providers = new Map((options.trafficProviders ?? []).map((p) => [p.kind, p]));
  const manifests = options.manifests.map((m) => structuredClone(m));
  const deploymentId = options.deploymentId ?? 'dep-1';
  let skipping = false;

  const harness: Harness = {
    cluster,
    clock,
    client,
    config,
    target,
    steps,
    strategyState: undefined,
    async runOnce(step) {
      const previous = stepStates.get(step.id) ?? { startedAt: clock.now(), attempt: 0 };
      const record = { ...previous, attempt: previous.attempt + 1 };
      stepStates.set(step.id, record);
      const ctx: StepContextV1 = {
        deploymentId,
        application: config.application,
        target,
        config,
        stepId: step.id,
        step,
        state: record.state,
        startedAt: record.startedAt,
        attempt: record.attempt,
        now: () => clock.now(),
        signal: new AbortController().signal,
        logger: silentLogger,
        cluster: async () => client,
        manifests: manifests.map((m) => structuredClone(m)),
        trafficManagement: config.trafficManagement,
        variables: { armory: {}, context: {} },
        secret: async (name) => {
          throw new Error(`no secret ${name} in tests`);
        },
        strategyState: harness.strategyState,
        metricProvider: () => {
          throw new Error('no metric providers in strategy tests');
        },
        judge: () => {
          throw new Error('no judges in strategy tests');
        },
        trafficProvider: (kind) => providers.get(kind),
      };
      const outcome = await options.strategy.runStep(ctx);
      if (outcome.strategyState !== undefined) harness.strategyState = outcome.strategyState;
      if (outcome.state !== undefined) record.state = outcome.state;
      return outcome;
    },
    async runToEnd(step, maxPolls = 10_000) {
      for (let i = 0; i < maxPolls; i++) {
        const outcome = await harness.runOnce(step);
        if (outcome.status !== 'waiting') return outcome;
        if (outcome.wakeAt === undefined) throw new Error(`step ${step.id} waits for a person`);
        clock.advance(Math.max(0, outcome.wakeAt - clock.now()));
      }
      throw new Error(`step ${step.id} still waiting after ${maxPolls} polls`);
    },
    async runAll() {
      const outcomes: Array<{ step: PlannedStepV1; outcome: StepOutcomeV1 | 'skipped' | 'stepKind' }> = [];
      for (const step of steps) {
        if (skipping && !step.alwaysRun) {
          outcomes.push({ step, outcome: 'skipped' });
          continue;
        }
        if (step.runner === 'stepKind') {
          outcomes.push({ step, outcome: 'stepKind' });
          continue;
        }
        const outcome = await harness.runToEnd(step);
        outcomes.push({ step, outcome });
        if (outcome.status === 'failed') return { outcomes, failed: outcome };
        if (outcome.status === 'succeeded' && outcome.skipRemainingSteps) skipping = true;
      }
      return { outcomes };
    },
    step(kindOrId) {
      const found = steps.find((s) => s.id === kindOrId) ?? steps.find((s) => s.kind === kindOrId);
      if (!found) throw new Error(`no planned step ${kindOrId}`);
      return found;
    },
    async rollback() {
      await options.strategy.rollback({
        deploymentId,
        target,
        config,
        strategyState: harness.strategyState,
        manifests: manifests.map((m) => structuredClone(m)),
        trafficManagement: config.trafficManagement,
        cluster: async () => client,
        trafficProvider: (kind) => providers.get(kind),
        signal: new AbortController().signal,
        logger: silentLogger,
        now: () => clock.now(),
      });
    },
    replicas() {
      const out: Record<string, number> = {};
      for (const rs of cluster.objects(ACCOUNT, { kind: 'ReplicaSet' })) out[rs.metadata.name] = (rs.spec as { replicas: number }).replicas;
      return out;
    },
  };
  return harness;
}
