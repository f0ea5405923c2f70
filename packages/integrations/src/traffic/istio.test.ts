import { FerryInputError, FerryNotFoundError, type KubeObject } from '@ferry/core';
import { createFakeCluster, type FakeCluster } from '@ferry/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { istio, istioTrafficProvider } from './istio.js';
import { CANARY, driver, replicaSet, STABLE } from './test-support/fixtures.js';

const NS = 'shop';
const ACCOUNT = 'prod';
const API = 'networking.istio.io/v1beta1';
const vsRef = { apiVersion: API, kind: 'VirtualService', name: 'web', namespace: NS };
const drRef = { apiVersion: API, kind: 'DestinationRule', name: 'web', namespace: NS };
const config = { virtualService: { name: 'web', httpRouteName: 'primary' }, destinationRule: { name: 'web', activeSubsetName: 'stable', canarySubsetName: 'canary' } };

const virtualService: KubeObject = {
  apiVersion: API,
  kind: 'VirtualService',
  metadata: { name: 'web', namespace: NS },
  spec: {
    hosts: ['web'],
    http: [
      { name: 'admin', match: [{ uri: { prefix: '/admin' } }], route: [{ destination: { host: 'admin' } }] },
      { name: 'primary', route: [{ destination: { host: 'web', port: { number: 80 } } }] },
    ],
  },
};
const destinationRule: KubeObject = {
  apiVersion: API,
  kind: 'DestinationRule',
  metadata: { name: 'web', namespace: NS },
  spec: { host: 'web', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } }, subsets: [{ name: 'legacy', labels: { version: 'v0' } }] },
};

let fake: FakeCluster;
beforeEach(() => {
  fake = createFakeCluster();
  for (const o of [virtualService, destinationRule, replicaSet(STABLE, NS, 3), replicaSet(CANARY, NS, 1)]) fake.seed(ACCOUNT, o);
});
const client = () => fake.client(ACCOUNT, NS);
const primary = async () => ((await client().get(vsRef))?.spec as { http: Array<{ name: string; route: unknown[] }> }).http[1]!;
const specs = async () => [(await client().get(vsRef))?.spec, (await client().get(drRef))?.spec];

describe('istio traffic provider', () => {
  it('weights the named route between subsets pinned by armory-pod-template-hash, then restores both objects exactly', async () => {
    for (const path of [[0, 25, 50, 100], [25, 0]]) {
      const d = driver(istioTrafficProvider, client(), NS, config);
      await d.prepare();
      for (const weight of path) {
        await d.setWeight(weight);
        expect((await primary()).route).toEqual([
          { destination: { host: 'web', port: { number: 80 }, subset: 'stable' }, weight: 100 - weight },
          { destination: { host: 'web', port: { number: 80 }, subset: 'canary' }, weight },
        ]);
        expect(await d.verifyWeight(weight)).toBe(true);
        expect(await d.verifyWeight(weight === 50 ? 25 : 50)).toBe(false);
      }
      const dr = (await client().get(drRef))?.spec as { subsets: unknown[]; trafficPolicy: unknown };
      expect(dr.subsets).toEqual([
        { name: 'legacy', labels: { version: 'v0' } },
        { name: 'stable', labels: { 'armory-pod-template-hash': STABLE.podTemplateHash } },
        { name: 'canary', labels: { 'armory-pod-template-hash': CANARY.podTemplateHash } },
      ]);
      expect(dr.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
      expect(((await client().get(vsRef))?.spec as { http: unknown[] }).http[0]).toEqual((virtualService.spec as { http: unknown[] }).http[0]);
      await d.restore();
      expect(await specs()).toEqual([virtualService.spec, destinationRule.spec]);
    }
  });

  it('updates subsets that already exist and is idempotent', async () => {
    fake.seed(ACCOUNT, { ...destinationRule, spec: { host: 'web', subsets: [{ name: 'stable', labels: { 'armory-pod-template-hash': 'old' }, trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } }] } });
    const before = await specs();
    const d = driver(istioTrafficProvider, client(), NS, config);
    await d.prepare();
    await d.setWeight(25);
    const once = fake.snapshot(ACCOUNT);
    await d.setWeight(25);
    expect(fake.snapshot(ACCOUNT)).toBe(once);
    expect(((await client().get(drRef))?.spec as { subsets: unknown[] }).subsets[0]).toEqual({
      name: 'stable',
      labels: { 'armory-pod-template-hash': STABLE.podTemplateHash },
      trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } },
    });
    await d.restore();
    expect(await specs()).toEqual(before);
  });

  it('after a promotion, re-pins an active subset the user had pinned by hash to the promoted version; after a rollback, leaves it as it was', async () => {
    const pinnedRule = { ...destinationRule, spec: { host: 'web', subsets: [{ name: 'stable', labels: { 'armory-pod-template-hash': STABLE.podTemplateHash } }] } };
    const rs = (name: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, namespace: NS });
    for (const [outcome, scale] of [['promotion', { [STABLE.replicaSetName]: 0, [CANARY.replicaSetName]: 3 }], ['rollback', { [STABLE.replicaSetName]: 3, [CANARY.replicaSetName]: 0 }]] as const) {
      fake.seed(ACCOUNT, pinnedRule);
      const d = driver(istioTrafficProvider, client(), NS, config);
      await d.prepare();
      await d.setWeight(outcome === 'promotion' ? 100 : 0);
      // What the canary strategy does before it restores: scale the version that lost to zero.
      for (const [name, replicas] of Object.entries(scale)) await client().patch(rs(name), { spec: { replicas } });
      await d.restore();
      await d.restore(); // idempotent: the decision does not depend on what the first restore changed
      const subsets = ((await client().get(drRef))?.spec as { subsets: unknown }).subsets;
      const hash = outcome === 'promotion' ? CANARY.podTemplateHash : STABLE.podTemplateHash;
      expect(subsets, outcome).toEqual([{ name: 'stable', labels: { 'armory-pod-template-hash': hash } }]);
      expect((await client().get(vsRef))?.spec).toEqual(virtualService.spec);
    }
  });

  it('names the routes when the route to shift is ambiguous or unknown, and names missing objects', async () => {
    const noRoute = { ...config, virtualService: { name: 'web' } };
    await expect(driver(istioTrafficProvider, client(), NS, noRoute).prepare()).rejects.toThrow('VirtualService/web has 2 http routes (admin, primary); name one with trafficManagement istio.virtualService.httpRouteName');
    const wrong = { ...config, virtualService: { name: 'web', httpRouteName: 'main' } };
    await expect(driver(istioTrafficProvider, client(), NS, wrong).prepare()).rejects.toThrow(/no http route named "main" \(routes: admin, primary\)/);
    const missing = { ...config, destinationRule: { ...config.destinationRule, name: 'nope' } };
    await expect(driver(istioTrafficProvider, client(), NS, missing).prepare()).rejects.toThrow(FerryNotFoundError);
    await expect(driver(istioTrafficProvider, client(), NS, missing).prepare()).rejects.toThrow(/DestinationRule\/nope in namespace shop does not exist/);
    await expect(driver(istioTrafficProvider, client(), NS, { virtualService: { name: 'web' } }).prepare()).rejects.toThrow(FerryInputError);
    await expect(driver(istioTrafficProvider, client(), NS, { virtualService: { name: 'web' } }).prepare()).rejects.toThrow(/istio.destinationRule/);
    expect(() => istio({ x: 1 } as never)).toThrow(/plugin "istio": invalid options/);
  });
});
