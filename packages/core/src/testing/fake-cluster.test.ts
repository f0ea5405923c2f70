import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../config/types.js';
import { FerryNotFoundError } from '../errors/index.js';
import { compileSelector, createFakeCluster } from './fake-cluster.js';
import { createManualClock } from './manual-clock.js';

function replicaSet(name: string, replicas: number, image = 'web:1'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'shop', labels: { app: 'web', version: name } },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web', image }] } } },
  };
}
const rsRef = (name: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'shop', name });
const status = (o: KubeObject | null) => o?.status as { replicas: number; readyReplicas: number; availableReplicas: number };

describe('createFakeCluster', () => {
  it('applies, gets and lists with label selectors, one object space per account', async () => {
    const fake = createFakeCluster();
    const a = fake.client('a', 'shop');
    await a.apply(replicaSet('web-1', 2), { fieldManager: 'ferry' });
    await a.apply(replicaSet('web-2', 0), { fieldManager: 'ferry' });
    expect((await a.get(rsRef('web-1')))?.metadata.uid).toBeTruthy();
    expect(await fake.client('b').get(rsRef('web-1'))).toBeNull();
    const listed = await a.list({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'shop', labelSelector: 'app=web,version!=web-2' });
    expect(listed.map((o) => o.metadata.name)).toEqual(['web-1']);
  });

  it('fills in the client namespace for namespaced kinds only', async () => {
    const client = createFakeCluster().client('a', 'shop');
    const cm = await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, { fieldManager: 'ferry' });
    const ns = await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, { fieldManager: 'ferry' });
    expect(cm.metadata.namespace).toBe('shop');
    expect(ns.metadata.namespace).toBeUndefined();
  });

  it('merges applies, records field managers, and drops what the same manager stopped applying', async () => {
    const client = createFakeCluster().client('a', 'shop');
    const base = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    await client.apply({ ...base, data: { a: '1', b: '2' } }, { fieldManager: 'ferry' });
    await client.apply({ ...base, data: { c: '3' } }, { fieldManager: 'kubectl' });
    const after = await client.apply({ ...base, data: { a: '9' } }, { fieldManager: 'ferry' });
    expect(after.data).toEqual({ a: '9', c: '3' });
    expect((after.metadata.managedFields as Array<{ manager: string }>).map((f) => f.manager).sort()).toEqual(['ferry', 'kubectl']);
  });

  it('patches as RFC 7386 merge patches, and fails on a missing object', async () => {
    const client = createFakeCluster().client('a', 'shop');
    await client.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'web', v: '1' }, ports: [{ port: 80 }] } }, { fieldManager: 'ferry' });
    const patched = await client.patch({ apiVersion: 'v1', kind: 'Service', name: 's' }, { spec: { selector: { v: null, h: 'x' }, ports: [{ port: 81 }] } });
    expect(patched.spec).toEqual({ selector: { app: 'web', h: 'x' }, ports: [{ port: 81 }] });
    await expect(client.patch({ apiVersion: 'v1', kind: 'Service', name: 'gone' }, {})).rejects.toBeInstanceOf(FerryNotFoundError);
  });

  it('deletes with garbage collection: Background removes dependents, Orphan keeps them unowned', async () => {
    const fake = createFakeCluster();
    const client = fake.client('a', 'shop');
    const owner = async (name: string) => client.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 1 } }, { fieldManager: 'kubectl' });
    for (const name of ['d1', 'd2']) {
      const d = await owner(name);
      const rs = replicaSet(`${name}-rs`, 1);
      rs.metadata.ownerReferences = [{ kind: 'Deployment', name, uid: d.metadata.uid, controller: true }];
      await client.apply(rs, { fieldManager: 'kubectl' });
    }
    expect(await client.delete({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd1' })).toBe(true);
    expect(await client.get(rsRef('d1-rs'))).toBeNull();
    await client.delete({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd2' }, { propagationPolicy: 'Orphan' });
    expect((await client.get(rsRef('d2-rs')))?.metadata.ownerReferences).toBeUndefined();
    expect(await client.delete({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd2' })).toBe(false);
  });

  it('simulates ReplicaSet status: ready after readyDelayMs on the injected clock', async () => {
    const clock = createManualClock();
    const client = createFakeCluster({ clock, readyDelayMs: 5000 }).client('a', 'shop');
    await client.apply(replicaSet('web-1', 3), { fieldManager: 'ferry' });
    expect(status(await client.get(rsRef('web-1')))).toMatchObject({ replicas: 3, readyReplicas: 0 });
    clock.advance(5000);
    expect(status(await client.get(rsRef('web-1')))).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
    await client.patch(rsRef('web-1'), { spec: { replicas: 5 } });
    expect(status(await client.get(rsRef('web-1')))).toMatchObject({ replicas: 5, readyReplicas: 3 });
    await client.patch(rsRef('web-1'), { spec: { replicas: 1 } });
    expect(status(await client.get(rsRef('web-1')))).toMatchObject({ replicas: 1, readyReplicas: 1 });
  });

  it('never readies pods whose image matches neverReadyImages', async () => {
    const client = createFakeCluster({ neverReadyImages: /:broken$/ }).client('a', 'shop');
    await client.apply(replicaSet('good', 2), { fieldManager: 'ferry' });
    await client.apply(replicaSet('bad', 2, 'web:broken'), { fieldManager: 'ferry' });
    expect(status(await client.get(rsRef('good'))).readyReplicas).toBe(2);
    expect(status(await client.get(rsRef('bad'))).readyReplicas).toBe(0);
  });

  it('logs every write with its ref and replicas, in order', async () => {
    const clock = createManualClock(1000);
    const fake = createFakeCluster({ clock });
    const client = fake.client('a', 'shop');
    await client.apply(replicaSet('web-1', 0), { fieldManager: 'ferry' });
    clock.advance(10);
    await client.patch(rsRef('web-1'), { spec: { replicas: 2 } });
    await client.delete(rsRef('web-1'));
    expect(fake.operations().map(({ seq, at, verb, ref, replicas, fieldManager, existed }) => ({ seq, at, verb, name: ref.name, replicas, fieldManager, existed }))).toEqual([
      { seq: 1, at: 1000, verb: 'apply', name: 'web-1', replicas: 0, fieldManager: 'ferry', existed: undefined },
      { seq: 2, at: 1010, verb: 'patch', name: 'web-1', replicas: 2, fieldManager: undefined, existed: undefined },
      { seq: 3, at: 1010, verb: 'delete', name: 'web-1', replicas: undefined, fieldManager: undefined, existed: true },
    ]);
    fake.clearOperations();
    expect(fake.operations()).toEqual([]);
  });

  it('keeps snapshots equal across no-op writes, and versions unchanged', async () => {
    const fake = createFakeCluster();
    const client = fake.client('a', 'shop');
    const first = await client.apply(replicaSet('web-1', 2), { fieldManager: 'ferry' });
    const before = fake.snapshot('a');
    const again = await client.apply(replicaSet('web-1', 2), { fieldManager: 'ferry' });
    await client.patch(rsRef('web-1'), { spec: { replicas: 2 } });
    expect(fake.snapshot('a')).toBe(before);
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    await client.patch(rsRef('web-1'), { spec: { replicas: 3 } });
    expect(fake.snapshot('a')).not.toBe(before);
  });

  it('hands out copies: callers cannot change stored objects', async () => {
    const fake = createFakeCluster();
    const client = fake.client('a', 'shop');
    const stored = await client.apply(replicaSet('web-1', 2), { fieldManager: 'ferry' });
    (stored.spec as { replicas: number }).replicas = 99;
    expect(((await client.get(rsRef('web-1')))?.spec as { replicas: number }).replicas).toBe(2);
  });

  it('connects through the connector only for handled accounts; seeds count as settled', async () => {
    const fake = createFakeCluster({ accounts: ['prod'], readyDelayMs: 60_000 });
    expect(fake.connector).toMatchObject({ specificationVersion: 'v1', kind: 'fake' });
    expect(fake.connector.handles('prod')).toBe(true);
    expect(fake.connector.handles('dev')).toBe(false);
    await expect(fake.connector.client({ account: 'dev', namespace: 'shop' })).rejects.toBeInstanceOf(FerryNotFoundError);
    fake.seed('prod', replicaSet('old', 2));
    const client = await fake.connector.client({ account: 'prod', namespace: 'shop' });
    expect(status(await client.get(rsRef('old'))).readyReplicas).toBe(2);
    expect(fake.operations()).toEqual([]);
  });
});

describe('compileSelector', () => {
  it.each([
    ['a=1', { a: '1' }, true],
    ['a==1', { a: '2' }, false],
    ['a!=1', {}, true],
    ['a', { a: '' }, true],
    ['!a', { a: 'x' }, false],
    ['a in (1, 2),b notin (3)', { a: '2', b: '4' }, true],
    ['a in (1,2)', { a: '3' }, false],
    ['', { x: 'y' }, true],
  ])('%s on %j → %s', (selector, labels, expected) => {
    expect(compileSelector(selector)(labels as Record<string, string>)).toBe(expected);
  });
});
