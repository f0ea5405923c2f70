import { FerryInputError, type BlueGreenStrategyConfig, type KubeObject, type StepConfig, type TrafficManagementConfig } from '@ferry/core';
import { createFakeCluster, createManualClock, type FakeCluster, type ManualClock } from '@ferry/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { managedReplicaSet } from '../kubernetes/managed-replica-set.js';
import { inNamespace } from '../kubernetes/objects.js';
import { ACCOUNT, createHarness, NAMESPACE, service, webDeployment, type Harness } from '../test-support/harness.js';
import { planBlueGreen } from './plan.js';
import { blueGreenStrategy } from './strategy.js';

const seconds = (n: number) => ({ duration: n, unit: 'seconds' as const, ms: n * 1000 });
const hashOf = (image: string) => managedReplicaSet(inNamespace(webDeployment(image), NAMESPACE), { application: 'a', deploymentId: 'd', environment: 'e' }).hash;
const H1 = hashOf('web:1');
const H2 = hashOf('web:2');
const approval: StepConfig = { kind: 'pause', untilApproved: true, requiresRoles: [] };
const wait: StepConfig = { kind: 'pause', duration: seconds(60), untilApproved: false, requiresRoles: [] };

function block(options: Partial<BlueGreenStrategyConfig> = {}): BlueGreenStrategyConfig {
  return { kind: 'blueGreen', name: 'bg', activeService: 'web', previewService: 'web-preview', redirectTrafficAfter: [approval, { kind: 'runWebhook', name: 'scan', context: {} }], shutDownOldVersionAfter: [wait], ...options };
}

let clock: ManualClock;
let cluster: FakeCluster;

function blueGreen(image: string, options: { block?: BlueGreenStrategyConfig; trafficManagement?: TrafficManagementConfig[]; timeoutMs?: number } = {}): Harness {
  return createHarness({
    strategy: blueGreenStrategy(),
    block: options.block ?? block(),
    manifests: [webDeployment(image), service('web'), service('web-preview')],
    cluster,
    clock,
    deploymentId: `deploy-${image}`,
    ...(options.trafficManagement ? { trafficManagement: options.trafficManagement } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
}

function selector(name: string): Record<string, string> | undefined {
  const svc = cluster.objects(ACCOUNT, { kind: 'Service' }).find((s: KubeObject) => s.metadata.name === name);
  return (svc?.spec as { selector?: Record<string, string> } | undefined)?.selector;
}

beforeEach(() => {
  clock = createManualClock();
  cluster = createFakeCluster({ clock });
});

describe('planBlueGreen', () => {
  const target = { name: 'prod', account: 'a', namespace: 'shop', strategy: 'bg', constraints: { dependsOn: [], beforeDeployment: [], afterDeployment: [] } };
  const config = { trafficManagement: [] } as unknown as Parameters<typeof planBlueGreen>[1]['config'];

  it('plans deploy, the parallel waits, redirect and shutdown', () => {
    const stages = planBlueGreen(block(), { target, config });
    expect(stages.map((s) => [s.name, s.steps.map((step) => `${step.id}:${step.kind}:${step.runner}${step.alwaysRun ? ':always' : ''}`)])).toEqual([
      ['deploy', ['deploy:deploy:strategy']],
      ['redirectTrafficAfter', ['redirectTrafficAfter[0]:pause:stepKind', 'redirectTrafficAfter[1]:runWebhook:stepKind']],
      ['redirect', ['redirect:redirect:strategy:always']],
      ['shutDownOldVersionAfter', ['shutDownOldVersionAfter[0]:pause:stepKind']],
      ['shutdown', ['shutdown:shutdown:strategy:always']],
    ]);
  });

  it('leaves out empty wait stages', () => {
    expect(planBlueGreen(block({ redirectTrafficAfter: [], shutDownOldVersionAfter: [] }), { target, config }).map((s) => s.name)).toEqual(['deploy', 'redirect', 'shutdown']);
  });

  it('needs an active Service, from the block or trafficManagement', () => {
    const bare = block({ activeService: undefined, previewService: undefined });
    expect(() => planBlueGreen(bare, { target, config })).toThrow(FerryInputError);
    const withTm = { trafficManagement: [{ targets: ['prod'], kubernetes: [{ activeService: 'web', previewService: 'web-preview' }], smi: [], istio: [], gatewayApi: [], nginx: [] }] } as unknown as typeof config;
    expect(planBlueGreen(bare, { target, config: withTm })).toHaveLength(5);
  });
});

describe('blue/green rollout', () => {
  it('first deployment: skips the waits, then points the active Service at the new version', async () => {
    const h = blueGreen('web:1');
    const { outcomes } = await h.runAll();
    expect(outcomes.map(({ step, outcome }) => [step.id, typeof outcome === 'string' ? outcome : outcome.status])).toEqual([
      ['deploy', 'succeeded'],
      ['redirectTrafficAfter[0]', 'skipped'],
      ['redirectTrafficAfter[1]', 'skipped'],
      ['redirect', 'succeeded'],
      ['shutDownOldVersionAfter[0]', 'skipped'],
      ['shutdown', 'succeeded'],
    ]);
    expect(h.replicas()).toEqual({ [`web-${H1}`]: 4 });
    expect(selector('web')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': H1 });
  });

  describe('over a running version', () => {
    beforeEach(async () => {
      await blueGreen('web:1').runAll();
      cluster.clearOperations();
    });

    it('brings the new version up with no traffic, previews it, redirects, then shuts the old one down', async () => {
      const h = blueGreen('web:2');
      expect(await h.runToEnd(h.step('deploy'))).toMatchObject({ status: 'succeeded' });
      expect(h.replicas()).toEqual({ [`web-${H1}`]: 4, [`web-${H2}`]: 4 });
      expect(selector('web')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': H1 });
      expect(selector('web-preview')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': H2 });

      await h.runToEnd(h.step('redirect'));
      expect(selector('web')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': H2 });
      expect(h.replicas()).toEqual({ [`web-${H1}`]: 4, [`web-${H2}`]: 4 });

      await h.runToEnd(h.step('shutdown'));
      expect(h.replicas()).toEqual({ [`web-${H2}`]: 4 });
      expect(cluster.operations().map((op) => `${op.verb} ${op.ref.kind}/${op.ref.name}${op.replicas === undefined ? '' : ` replicas=${op.replicas}`}`)).toEqual([
        'apply Service/web',
        'apply Service/web-preview',
        `apply ReplicaSet/web-${H2} replicas=4`,
        'patch Service/web-preview',
        'patch Service/web',
        `patch ReplicaSet/web-${H1} replicas=0`,
        `delete ReplicaSet/web-${H1}`,
      ]);
    });

    it('polls readiness of the new version and fails at the timeout naming it', async () => {
      cluster = createFakeCluster({ clock, neverReadyImages: /:broken$/ });
      await blueGreen('web:1').runAll();
      const h = blueGreen('web:broken', { timeoutMs: 120_000 });
      const outcome = await h.runToEnd(h.step('deploy'));
      expect(outcome).toMatchObject({ status: 'failed', reason: `ReplicaSet shop/web-${hashOf('web:broken')} has 0/4 replicas ready after 2 minutes (deploymentConfig.timeout)` });
      // Neither Service was moved to the broken version.
      expect(selector('web-preview')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': H1 });
      expect(selector('web')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': H1 });
    });

    it('rolls back after redirect: Services back on the old version, new ReplicaSet removed; idempotent', async () => {
      const h = blueGreen('web:2');
      await h.runToEnd(h.step('deploy'));
      await h.runToEnd(h.step('redirect'));
      await h.rollback();
      expect(selector('web')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': H1 });
      expect(selector('web-preview')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': H1 });
      expect(h.replicas()).toEqual({ [`web-${H1}`]: 4 });
      const after = cluster.snapshot(ACCOUNT);
      await h.rollback();
      expect(cluster.snapshot(ACCOUNT)).toBe(after);
    });

    it('is idempotent: every strategy step run twice leaves the cluster as running it once', async () => {
      const h = blueGreen('web:2');
      for (const step of h.steps.filter((s) => s.runner === 'strategy')) {
        expect(await h.runToEnd(step)).toMatchObject({ status: 'succeeded' });
        const once = cluster.snapshot(ACCOUNT);
        expect(await h.runToEnd(step)).toMatchObject({ status: 'succeeded' });
        expect(cluster.snapshot(ACCOUNT), `after re-running ${step.id}`).toBe(once);
      }
    });

    it('takes the Services from trafficManagement[].kubernetes when the block names none', async () => {
      const tm = [{ targets: ['prod'], kubernetes: [{ activeService: 'web', previewService: 'web-preview' }], smi: [], istio: [], gatewayApi: [], nginx: [] }];
      const h = blueGreen('web:2', { block: block({ activeService: undefined, previewService: undefined }), trafficManagement: tm });
      await h.runToEnd(h.step('deploy'));
      expect(selector('web-preview')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': H2 });
      await h.runToEnd(h.step('redirect'));
      expect(selector('web')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': H2 });
    });
  });

  it('adopts a kubectl Deployment: the active Service is pinned to its pods, then moved', async () => {
    const deployment = cluster.seed(ACCOUNT, inNamespace(webDeployment('web:1'), NAMESPACE));
    cluster.seed(ACCOUNT, inNamespace(service('web'), NAMESPACE));
    cluster.seed(ACCOUNT, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-abc', namespace: NAMESPACE, labels: { app: 'web', 'pod-template-hash': 'abc' }, ownerReferences: [{ kind: 'Deployment', name: 'web', uid: deployment.metadata.uid, controller: true }] },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } } },
    });
    const h = blueGreen('web:2');
    await h.runToEnd(h.step('deploy'));
    expect(selector('web')).toEqual({ app: 'web', 'pod-template-hash': 'abc' });
    await h.runToEnd(h.step('redirect'));
    expect(selector('web')).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': H2 });
    await h.runToEnd(h.step('shutdown'));
    expect(h.replicas()).toEqual({ [`web-${H2}`]: 4 });
    expect(cluster.objects(ACCOUNT, { kind: 'Deployment' })).toEqual([]);
  });
});

describe('blue/green with a HorizontalPodAutoscaler', () => {
  it('retargets it at the new ReplicaSet once the old one is shut down', async () => {
    const hpa: KubeObject = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 5, maxReplicas: 10 },
    };
    const h = createHarness({ strategy: blueGreenStrategy(), block: block(), manifests: [webDeployment('web:1'), service('web'), service('web-preview'), hpa], cluster, clock });
    await h.runAll();
    const [live] = cluster.objects(ACCOUNT, { kind: 'HorizontalPodAutoscaler' });
    expect((live?.spec as { scaleTargetRef: unknown }).scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${H1}` });
    // 4 in the manifest, but the autoscaler's minimum is 5.
    expect(h.replicas()).toEqual({ [`web-${H1}`]: 5 });
  });
});
