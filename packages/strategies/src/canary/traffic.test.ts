import { FerryNotFoundError, type TrafficContextV1, type TrafficManagementConfig, type TrafficProviderV1 } from '@ferry/core';
import { createFakeCluster, createManualClock, type FakeCluster, type ManualClock } from '@ferry/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { managedReplicaSet } from '../kubernetes/managed-replica-set.js';
import { inNamespace } from '../kubernetes/objects.js';
import { ACCOUNT, createHarness, NAMESPACE, service, webDeployment } from '../test-support/harness.js';
import { canaryStrategy } from './strategy.js';

const rsName = (image: string) => managedReplicaSet(inNamespace(webDeployment(image), NAMESPACE), { application: 'a', deploymentId: 'd', environment: 'e' }).name;
const V1 = rsName('web:1');
const V2 = rsName('web:2');

/**
 * A traffic provider for tests: keeps the split in a ConfigMap (so every call is a cluster
 * write in the operation log) and records its calls. `confirms` decides verifyWeight.
 */
function splitProvider(options: { confirms?: () => boolean } = {}) {
  const calls: string[] = [];
  const write = (ctx: TrafficContextV1, weight: number) =>
    ctx.cluster.apply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'split', namespace: ctx.namespace }, data: { canary: ctx.canary.replicaSetName, stable: ctx.stable.replicaSetName ?? '', weight: String(weight) } },
      { fieldManager: 'split-test' },
    );
  const provider: TrafficProviderV1 = {
    specificationVersion: 'v1',
    kind: 'split',
    async prepare(ctx) {
      calls.push(`prepare ${(ctx.config as { service: string }).service}`);
      return { original: 'none' };
    },
    async setWeight(ctx, weight) {
      calls.push(`setWeight ${weight}`);
      await write(ctx, weight);
    },
    async verifyWeight(_ctx, weight) {
      calls.push(`verify ${weight}`);
      return options.confirms ? options.confirms() : true;
    },
    async restore(ctx) {
      calls.push(`restore ${JSON.stringify(ctx.state)}`);
      await ctx.cluster.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ctx.namespace, name: 'split' });
    },
  };
  return { provider, calls };
}

const trafficManagement = [{ targets: ['prod'], split: [{ service: 'web' }] } as unknown as TrafficManagementConfig];

let clock: ManualClock;
let cluster: FakeCluster;
beforeEach(async () => {
  clock = createManualClock();
  cluster = createFakeCluster({ clock });
  // v1 running, deployed by Ferry before.
  await createHarness({ strategy: canaryStrategy(), block: { kind: 'canary', name: 'c', steps: [] }, manifests: [webDeployment('web:1'), service('web')], cluster, clock }).runAll();
  cluster.clearOperations();
});

function harness(provider: TrafficProviderV1, timeoutMs?: number) {
  return createHarness({
    strategy: canaryStrategy(),
    block: { kind: 'canary', name: 'c', steps: [{ kind: 'setWeight', weight: 25 }, { kind: 'setWeight', weight: 50 }] },
    manifests: [webDeployment('web:2'), service('web')],
    cluster,
    clock,
    trafficManagement,
    trafficProviders: [provider],
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}

const ops = () => cluster.operations().map((op) => `${op.verb} ${op.ref.kind}/${op.ref.name}${op.replicas === undefined ? '' : ` replicas=${op.replicas}`}`);

describe('canary with a traffic provider', () => {
  it('shifts traffic with the provider while replicas follow the weight and the stable keeps its pods', async () => {
    const { provider, calls } = splitProvider();
    const h = harness(provider);
    await h.runToEnd(h.step('deploy'));
    await h.runToEnd(h.step('steps[0]'));
    expect(h.replicas()).toEqual({ [V1]: 4, [V2]: 1 });
    await h.runToEnd(h.step('steps[1]'));
    expect(h.replicas()).toEqual({ [V1]: 4, [V2]: 2 });
    await h.runToEnd(h.step('final-weight'));
    expect(h.replicas()).toEqual({ [V1]: 4, [V2]: 4 });
    expect(calls).toEqual(['prepare web', 'setWeight 25', 'verify 25', 'setWeight 50', 'verify 50', 'setWeight 100', 'verify 100']);
    cluster.clearOperations();
    await h.runToEnd(h.step('promote'));
    // Old pods stop before the routing objects are restored, then the old ReplicaSet goes.
    expect(ops()).toEqual([`patch ReplicaSet/${V1} replicas=0`, 'delete ConfigMap/split', `delete ReplicaSet/${V1}`]);
    expect(calls.at(-1)).toBe('restore {"original":"none"}');
    expect(h.replicas()).toEqual({ [V2]: 4 });
  });

  it('rolls back traffic first, then replicas, then restores the routing objects', async () => {
    const { provider, calls } = splitProvider();
    const h = harness(provider);
    await h.runToEnd(h.step('deploy'));
    await h.runToEnd(h.step('steps[1]'));
    cluster.clearOperations();
    calls.length = 0;
    await h.rollback();
    expect(calls).toEqual(['setWeight 0', 'restore {"original":"none"}']);
    expect(ops()).toEqual(['apply ConfigMap/split', `patch ReplicaSet/${V2} replicas=0`, 'delete ConfigMap/split', `delete ReplicaSet/${V2}`]);
    expect(h.replicas()).toEqual({ [V1]: 4 });
  });

  it('polls until the provider confirms the weight, and fails at the timeout', async () => {
    let confirmed = false;
    const { provider } = splitProvider({ confirms: () => confirmed });
    const h = harness(provider, 60_000);
    await h.runToEnd(h.step('deploy'));
    expect(await h.runOnce(h.step('steps[0]'))).toMatchObject({ status: 'waiting', wakeAt: clock.now() + 1000 });
    confirmed = true;
    clock.advance(1000);
    expect(await h.runOnce(h.step('steps[0]'))).toMatchObject({ status: 'succeeded' });

    confirmed = false;
    const outcome = await h.runToEnd(h.step('steps[1]'));
    expect(outcome).toMatchObject({ status: 'failed', reason: 'traffic provider split did not confirm weight 50% within 1 minute (deploymentConfig.timeout)' });
  });

  it('fails deploy when the configured provider is not registered', async () => {
    const h = createHarness({
      strategy: canaryStrategy(),
      block: { kind: 'canary', name: 'c', steps: [{ kind: 'setWeight', weight: 25 }] },
      manifests: [webDeployment('web:2')],
      cluster,
      clock,
      trafficManagement,
    });
    await expect(h.runOnce(h.step('deploy'))).rejects.toBeInstanceOf(FerryNotFoundError);
    expect(cluster.objects(ACCOUNT, { kind: 'ConfigMap' })).toEqual([]);
  });
});
