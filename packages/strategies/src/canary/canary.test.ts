import type { CanaryStrategyConfig, KubeObject, StepConfig } from '@ferry/core';
import { createFakeCluster, createManualClock, type FakeCluster, type ManualClock } from '@ferry/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { managedReplicaSet } from '../kubernetes/managed-replica-set.js';
import { inNamespace } from '../kubernetes/objects.js';
import { ACCOUNT, configMap, createHarness, NAMESPACE, service, webDeployment, type Harness } from '../test-support/harness.js';
import { canaryStrategy } from './strategy.js';

const seconds = (n: number) => ({ duration: n, unit: 'seconds' as const, ms: n * 1000 });
const STEPS: StepConfig[] = [
  { kind: 'setWeight', weight: 25 },
  { kind: 'pause', duration: seconds(30), untilApproved: false, requiresRoles: [] },
  { kind: 'setWeight', weight: 50 },
];
const block = (steps: StepConfig[] = STEPS): CanaryStrategyConfig => ({ kind: 'canary', name: 'rollout', steps });
const rsName = (image: string) => managedReplicaSet(inNamespace(webDeployment(image), NAMESPACE), { application: 'a', deploymentId: 'd', environment: 'e' }).name;
const V1 = rsName('web:1');
const V2 = rsName('web:2');

let clock: ManualClock;
let cluster: FakeCluster;

function canary(image: string, options: { deploymentId?: string; steps?: StepConfig[]; timeoutMs?: number; keepDeploymentObject?: boolean } = {}): Harness {
  return createHarness({
    strategy: canaryStrategy(),
    block: block(options.steps),
    manifests: [webDeployment(image), service('web'), configMap('web-config', { image })],
    deploymentId: options.deploymentId ?? `deploy-${image}`,
    cluster,
    clock,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.keepDeploymentObject ? { keepDeploymentObject: true } : {}),
  });
}

/** v1 deployed as a first deployment: the stable version of the tests that follow. */
async function deployStable(): Promise<void> {
  const { failed } = await canary('web:1').runAll();
  expect(failed).toBeUndefined();
  cluster.clearOperations();
}

function ops() {
  return cluster.operations().map((op) => `${op.verb} ${op.ref.kind}/${op.ref.name}${op.replicas === undefined ? '' : ` replicas=${op.replicas}`}`);
}

beforeEach(() => {
  clock = createManualClock();
  cluster = createFakeCluster({ clock });
});

describe('canary: first deployment', () => {
  it('goes straight to 100%: deploy skips the steps, the final weight and promotion still run', async () => {
    const h = canary('web:1');
    const { outcomes } = await h.runAll();
    expect(outcomes.map(({ step, outcome }) => [step.id, typeof outcome === 'string' ? outcome : outcome.status])).toEqual([
      ['deploy', 'succeeded'],
      ['steps[0]', 'skipped'],
      ['steps[1]', 'skipped'],
      ['steps[2]', 'skipped'],
      ['final-weight', 'succeeded'],
      ['promote', 'succeeded'],
    ]);
    expect(outcomes[0]?.outcome).toMatchObject({ skipRemainingSteps: true });
    expect(h.replicas()).toEqual({ [V1]: 4 });
    // The Deployment object itself is not applied; everything else is, in the target namespace.
    expect(cluster.objects(ACCOUNT, { kind: 'Deployment' })).toEqual([]);
    expect(cluster.objects(ACCOUNT, { kind: 'ConfigMap' }).map((o) => o.metadata.namespace)).toEqual([NAMESPACE]);
    expect(ops()).toEqual([
      'apply Service/web',
      'apply ConfigMap/web-config',
      `apply ReplicaSet/${V1} replicas=0`,
      `apply ReplicaSet/${V1} replicas=4`,
    ]);
  });

  it('stamps the deployment facts on the managed pods', async () => {
    await canary('web:1', { deploymentId: 'dep-77' }).runAll();
    const [rs] = cluster.objects(ACCOUNT, { kind: 'ReplicaSet' });
    const template = (rs?.spec as { template: { metadata: { annotations: Record<string, string> }; spec: { containers: Array<{ env: Array<{ name: string; value: string }> }> } } }).template;
    expect(template.metadata.annotations).toMatchObject({ 'deploy.armory.io/deployment-id': 'dep-77', 'deploy.armory.io/environment': 'prod', 'ferry.dev/replica-set-name': V1 });
    expect(template.spec.containers[0]?.env).toContainEqual({ name: 'ARMORY_APPLICATION_NAME', value: 'shop-web' });
  });
});

describe('canary: rollout over a stable version (pod ratio)', () => {
  beforeEach(deployStable);

  it('moves replicas step by step and promotes', async () => {
    const h = canary('web:2');
    const deploy = await h.runToEnd(h.step('deploy'));
    expect(deploy).toMatchObject({ status: 'succeeded' });
    expect(deploy.status === 'succeeded' && deploy.skipRemainingSteps).toBeFalsy();
    expect(h.replicas()).toEqual({ [V1]: 4, [V2]: 0 });

    expect(await h.runToEnd(h.step('steps[0]'))).toMatchObject({ status: 'succeeded' });
    expect(h.replicas()).toEqual({ [V1]: 3, [V2]: 1 });
    expect(await h.runToEnd(h.step('steps[2]'))).toMatchObject({ status: 'succeeded' });
    expect(h.replicas()).toEqual({ [V1]: 2, [V2]: 2 });
    expect(await h.runToEnd(h.step('final-weight'))).toMatchObject({ status: 'succeeded' });
    expect(h.replicas()).toEqual({ [V1]: 0, [V2]: 4 });
    expect(await h.runToEnd(h.step('promote'))).toMatchObject({ status: 'succeeded' });
    expect(h.replicas()).toEqual({ [V2]: 4 });

    // Scale-ups come before scale-downs, so capacity never drops.
    expect(ops()).toEqual([
      'apply Service/web',
      'apply ConfigMap/web-config',
      `apply ReplicaSet/${V2} replicas=0`,
      `apply ReplicaSet/${V2} replicas=1`,
      `patch ReplicaSet/${V1} replicas=3`,
      `apply ReplicaSet/${V2} replicas=2`,
      `patch ReplicaSet/${V1} replicas=2`,
      `apply ReplicaSet/${V2} replicas=4`,
      `patch ReplicaSet/${V1} replicas=0`,
      `delete ReplicaSet/${V1}`,
    ]);
    expect(h.strategyState).toMatchObject({ strategy: 'canary', weight: 100, rollouts: [{ deployment: 'web', total: 4, canary: { name: V2 }, stable: { name: V1, replicas: 4 } }] });
  });

  it('waits for the canary to be ready before taking pods from the stable version', async () => {
    cluster = createFakeCluster({ clock, readyDelayMs: 5000 });
    await deployStable();
    const h = canary('web:2');
    await h.runToEnd(h.step('deploy'));
    const first = await h.runOnce(h.step('steps[0]'));
    expect(first).toMatchObject({ status: 'waiting', wakeAt: clock.now() + 1000 });
    expect(h.replicas()).toEqual({ [V1]: 4, [V2]: 1 });
    clock.advance(2000);
    expect(await h.runOnce(h.step('steps[0]'))).toMatchObject({ status: 'waiting' });
    clock.advance(3000);
    expect(await h.runOnce(h.step('steps[0]'))).toMatchObject({ status: 'succeeded' });
    expect(h.replicas()).toEqual({ [V1]: 3, [V2]: 1 });
  });

  it('fails a weight whose pods never become ready once deploymentConfig.timeout has passed', async () => {
    cluster = createFakeCluster({ clock, neverReadyImages: /:broken$/ });
    await deployStable();
    const h = canary('web:broken', { timeoutMs: 60_000 });
    await h.runToEnd(h.step('deploy'));
    const started = clock.now();
    const outcome = await h.runToEnd(h.step('steps[0]'));
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.reason).toBe(`ReplicaSet shop/${rsName('web:broken')} has 0/1 replicas ready after 1 minute (deploymentConfig.timeout)`);
    expect(clock.now() - started).toBe(60_000);
    // The stable version kept all its pods.
    expect(h.replicas()[V1]).toBe(4);
  });

  it('rolls back: stable back to full, canary scaled to zero and removed; twice is the same', async () => {
    const h = canary('web:2');
    await h.runToEnd(h.step('deploy'));
    await h.runToEnd(h.step('steps[2]'));
    expect(h.replicas()).toEqual({ [V1]: 2, [V2]: 2 });
    cluster.clearOperations();
    await h.rollback();
    expect(h.replicas()).toEqual({ [V1]: 4 });
    expect(ops()).toEqual([`patch ReplicaSet/${V1} replicas=4`, `patch ReplicaSet/${V2} replicas=0`, `delete ReplicaSet/${V2}`]);
    const after = cluster.snapshot(ACCOUNT);
    await h.rollback();
    expect(cluster.snapshot(ACCOUNT)).toBe(after);
  });

  it('is idempotent: every step run twice leaves the cluster as running it once', async () => {
    const h = canary('web:2');
    for (const step of h.steps.filter((s) => s.runner === 'strategy')) {
      expect(await h.runToEnd(step)).toMatchObject({ status: 'succeeded' });
      const once = cluster.snapshot(ACCOUNT);
      expect(await h.runToEnd(step)).toMatchObject({ status: 'succeeded' });
      expect(cluster.snapshot(ACCOUNT), `after re-running ${step.id}`).toBe(once);
    }
    expect(h.replicas()).toEqual({ [V2]: 4 });
  });

  it('redeploying the running version changes nothing and goes straight to 100%', async () => {
    const h = canary('web:1', { deploymentId: 'again' });
    const { outcomes } = await h.runAll();
    expect(outcomes[0]?.outcome).toMatchObject({ skipRemainingSteps: true });
    expect(h.replicas()).toEqual({ [V1]: 4 });
    expect(ops().filter((op) => op.includes('replicas=0'))).toEqual([]);
  });

  it('keeps the Deployment object at 0 replicas when keepDeploymentObject is set', async () => {
    const h = canary('web:2', { keepDeploymentObject: true });
    await h.runAll();
    const [kept] = cluster.objects(ACCOUNT, { kind: 'Deployment' });
    expect(kept?.metadata.name).toBe('web');
    expect((kept?.spec as { replicas: number }).replicas).toBe(0);
    expect(h.replicas()).toEqual({ [V2]: 4 });
  });
});

describe('canary: adopting an app first deployed with kubectl', () => {
  function seedKubectlDeployment(): string {
    const deployment = cluster.seed(ACCOUNT, inNamespace(webDeployment('web:1'), NAMESPACE));
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-7d9f8c',
        namespace: NAMESPACE,
        labels: { app: 'web', 'pod-template-hash': '7d9f8c' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deployment.metadata.uid, controller: true }],
      },
      spec: { replicas: 4, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d9f8c' } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': '7d9f8c' } } } },
    };
    cluster.seed(ACCOUNT, rs);
    return 'web-7d9f8c';
  }

  it('uses its ReplicaSet as stable, orphans it from the Deployment and retires it at promotion', async () => {
    const old = seedKubectlDeployment();
    const h = canary('web:2');
    const deploy = await h.runToEnd(h.step('deploy'));
    expect(deploy.status === 'succeeded' && deploy.skipRemainingSteps).toBeFalsy();
    expect(h.strategyState).toMatchObject({ rollouts: [{ stable: { name: old, hash: '7d9f8c', hashLabel: 'pod-template-hash', replicas: 4 } }] });
    expect(cluster.objects(ACCOUNT, { kind: 'Deployment' })).toEqual([]);
    const adopted = cluster.objects(ACCOUNT, { kind: 'ReplicaSet' }).find((rs) => rs.metadata.name === old);
    expect(adopted?.metadata.ownerReferences).toBeUndefined();
    expect(adopted?.metadata.labels).toMatchObject({ 'ferry.dev/deployment': 'web' });
    expect(cluster.operations({ verb: 'delete' })).toMatchObject([{ ref: { kind: 'Deployment', name: 'web' }, propagationPolicy: 'Orphan' }]);

    await h.runToEnd(h.step('steps[0]'));
    expect(h.replicas()).toEqual({ [old]: 3, [V2]: 1 });
    await h.runToEnd(h.step('final-weight'));
    await h.runToEnd(h.step('promote'));
    expect(h.replicas()).toEqual({ [V2]: 4 });
  });

  it('finds the same stable when deploy re-runs after adopting', async () => {
    const old = seedKubectlDeployment();
    const h = canary('web:2');
    await h.runToEnd(h.step('deploy'));
    const again = canary('web:2');
    await again.runToEnd(again.step('deploy'));
    expect(again.strategyState).toMatchObject({ rollouts: [{ stable: { name: old, replicas: 4 } }] });
  });
});

describe('canary: several Deployments and other kinds', () => {
  const crd: KubeObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com' } };
  const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'elsewhere' }, spec: { size: 1 } };
  const api = (image: string) => webDeployment(image, { name: 'api', app: 'api', replicas: 2 });
  const harness = (web: string, apiImage: string) =>
    createHarness({ strategy: canaryStrategy(), block: block([{ kind: 'setWeight', weight: 50 }]), manifests: [widget, webDeployment(web), api(apiImage), crd], cluster, clock });
  const apiName = (image: string) => managedReplicaSet(inNamespace(api(image), NAMESPACE), { application: 'a', deploymentId: 'd', environment: 'e' }).name;

  it('applies CRDs before the resources that use them, in the target namespace', async () => {
    await harness('web:1', 'api:1').runAll();
    expect(ops().slice(0, 2)).toEqual(['apply CustomResourceDefinition/widgets.example.com', 'apply Widget/w']);
    expect(cluster.objects(ACCOUNT, { kind: 'Widget' })[0]?.metadata.namespace).toBe(NAMESPACE);
    expect(cluster.objects(ACCOUNT, { kind: 'CustomResourceDefinition' })[0]?.metadata.namespace).toBeUndefined();
  });

  it('rolls every Deployment of the target at once, and back', async () => {
    await harness('web:1', 'api:1').runAll();
    const h = harness('web:2', 'api:2');
    await h.runToEnd(h.step('deploy'));
    await h.runToEnd(h.step('steps[0]'));
    expect(h.replicas()).toEqual({ [V1]: 2, [V2]: 2, [apiName('api:1')]: 1, [apiName('api:2')]: 1 });
    await h.rollback();
    expect(h.replicas()).toEqual({ [V1]: 4, [apiName('api:1')]: 2 });
  });
});

describe('canary: a Deployment with a HorizontalPodAutoscaler', () => {
  const hpa: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10 },
  };
  const harness = (image: string) =>
    createHarness({ strategy: canaryStrategy(), block: block([{ kind: 'setWeight', weight: 50 }]), manifests: [webDeployment(image), hpa], cluster, clock });
  const hpaTarget = () => (cluster.objects(ACCOUNT, { kind: 'HorizontalPodAutoscaler' })[0]?.spec as { scaleTargetRef: unknown } | undefined)?.scaleTargetRef;

  it('retargets the autoscaler at the managed ReplicaSet after promotion', async () => {
    await harness('web:1').runAll();
    expect(hpaTarget()).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: V1 });
  });

  it('freezes it during the rollout, starts the new version at the size it chose, and restores it on promotion or rollback', async () => {
    await harness('web:1').runAll();
    // The autoscaler grew the stable version to 6.
    await cluster.client(ACCOUNT, NAMESPACE).patch({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: V1 }, { spec: { replicas: 6 } });

    const h = harness('web:2');
    await h.runToEnd(h.step('deploy'));
    expect(hpaTarget()).toBeUndefined();
    expect(h.strategyState).toMatchObject({ rollouts: [{ total: 6 }] });
    await h.runToEnd(h.step('steps[0]'));
    expect(h.replicas()).toEqual({ [V1]: 3, [V2]: 3 });
    await h.rollback();
    expect(hpaTarget()).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: V1 });
    expect(h.replicas()).toEqual({ [V1]: 6 });

    const again = harness('web:2');
    await again.runAll();
    expect(hpaTarget()).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: V2 });
    expect(again.replicas()).toEqual({ [V2]: 6 });
  });
});
