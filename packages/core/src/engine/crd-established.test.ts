import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../config/types.js';
import { FerryUnavailableError } from '../errors/index.js';
import type { ClusterClientV1 } from '../plugins/contracts.js';
import { createFakeCluster } from '../testing/index.js';
import { waitForCrdsEstablished } from './crd-established.js';

const crd = (name: string): KubeObject => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec: { group: name.split('.').slice(1).join('.') } });
const widget: KubeObject = { apiVersion: 'acme.io/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'shop' }, spec: { size: 2 } };
const apply = (client: ClusterClientV1, o: KubeObject) => client.apply(o, { fieldManager: 'test', force: true, signal: new AbortController().signal });
const signal = () => new AbortController().signal;

/** The fake's client, with each CRD read as not yet Established for its first `pending` reads. */
function slowCrds(client: ClusterClientV1, pending: number, reads: string[]): ClusterClientV1 {
  const seen = new Map<string, number>();
  return {
    ...client,
    async get(ref, opts) {
      const object = await client.get(ref, opts);
      if (ref.kind !== 'CustomResourceDefinition' || !object) return object;
      const n = (seen.get(ref.name) ?? 0) + 1;
      seen.set(ref.name, n);
      reads.push(`${ref.name} #${n}`);
      return n <= pending ? { ...object, status: {} } : object;
    },
  };
}

describe('the fake cluster and CustomResourceDefinitions', () => {
  it('reports an applied CRD as Established, or never for names matching neverEstablishedCrds', async () => {
    const cluster = createFakeCluster({ neverEstablishedCrds: /^stuck\./ });
    const client = cluster.client('dev');
    await apply(client, crd('widgets.acme.io'));
    await apply(client, crd('stuck.acme.io'));
    const condition = async (name: string) => ((await client.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name }))?.status as { conditions: Array<{ type: string; status: string }> }).conditions.find((c) => c.type === 'Established')?.status;
    expect(await condition('widgets.acme.io')).toBe('True');
    expect(await condition('stuck.acme.io')).toBe('False');
  });
});

describe('waitForCrdsEstablished', () => {
  it('polls each CRD until it reports Established=True, and ignores other objects', async () => {
    const cluster = createFakeCluster();
    const reads: string[] = [];
    const client = slowCrds(cluster.client('dev'), 2, reads);
    await apply(client, crd('widgets.acme.io'));
    await apply(client, crd('gadgets.acme.io'));
    await waitForCrdsEstablished(client, [crd('widgets.acme.io'), widget, crd('gadgets.acme.io')], { signal: signal(), pollMs: 5 });
    expect(reads.filter((r) => r.startsWith('widgets'))).toEqual(['widgets.acme.io #1', 'widgets.acme.io #2', 'widgets.acme.io #3']);
    expect(reads.filter((r) => r.startsWith('gadgets'))).toEqual(['gadgets.acme.io #1', 'gadgets.acme.io #2', 'gadgets.acme.io #3']);
  });

  it('waits for a CRD that does not exist yet', async () => {
    const cluster = createFakeCluster();
    const client = cluster.client('dev');
    setTimeout(() => void apply(client, crd('widgets.acme.io')), 30);
    const started = Date.now();
    await waitForCrdsEstablished(client, [crd('widgets.acme.io')], { signal: signal(), pollMs: 5 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('returns at once without CRDs, reading nothing', async () => {
    const reads: string[] = [];
    await waitForCrdsEstablished(slowCrds(createFakeCluster().client('dev'), 0, reads), [widget], { signal: signal() });
    expect(reads).toEqual([]);
  });

  it('gives up after the timeout with a FerryUnavailableError naming the CRD', async () => {
    const client = createFakeCluster({ neverEstablishedCrds: /^stuck\./ }).client('dev');
    await apply(client, crd('stuck.acme.io'));
    await apply(client, crd('widgets.acme.io'));
    const started = Date.now();
    const error = await waitForCrdsEstablished(client, [crd('widgets.acme.io'), crd('stuck.acme.io')], { signal: signal(), timeoutMs: 60, pollMs: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryUnavailableError);
    expect((error as FerryUnavailableError).code).toBe('crd_not_established');
    expect((error as Error).message).toMatch(/^CustomResourceDefinition stuck\.acme\.io not Established after/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('stops when the step is aborted', async () => {
    const client = createFakeCluster({ neverEstablishedCrds: /./ }).client('dev');
    await apply(client, crd('stuck.acme.io'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 20);
    await expect(waitForCrdsEstablished(client, [crd('stuck.acme.io')], { signal: controller.signal, pollMs: 5 })).rejects.toThrow('cancelled');
  });
});
