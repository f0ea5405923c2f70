import { FerryInputError, FerryNotFoundError, type KubeObject } from '@ferry/core';
import { createFakeCluster, type FakeCluster } from '@ferry/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { gatewayApi, gatewayApiTrafficProvider } from './gateway-api.js';
import { CANARY, driver, replicaSet, service, STABLE } from './test-support/fixtures.js';

const NS = 'shop';
const ACCOUNT = 'prod';
const routeRef = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', name: 'web', namespace: NS };
const svc = (name: string) => ({ apiVersion: 'v1', kind: 'Service', name, namespace: NS });
const config = { httpRoute: { name: 'web', ruleIndex: 1 }, stableService: 'web', canaryService: 'web-canary' };

const route: KubeObject = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web', namespace: NS },
  spec: {
    parentRefs: [{ name: 'gw' }],
    rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/admin' } }], backendRefs: [{ name: 'admin', port: 80 }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] },
    ],
  },
};

let fake: FakeCluster;
beforeEach(() => {
  fake = createFakeCluster();
  for (const o of [route, service('web', NS), replicaSet(STABLE, NS, 3), replicaSet(CANARY, NS, 1)]) fake.seed(ACCOUNT, o);
});
const client = () => fake.client(ACCOUNT, NS);
/** Every object's kind, name, labels, annotations and spec: what restore must give back. */
const specs = () => fake.objects(ACCOUNT).map((o) => ({ kind: o.kind, name: o.metadata.name, labels: o.metadata.labels, annotations: o.metadata.annotations, spec: o.spec }));
const refs = async () => ((await client().get(routeRef))?.spec as { rules: Array<{ backendRefs: unknown[] }> }).rules[1]!.backendRefs;

describe('gatewayApi traffic provider', () => {
  it('weights the rule between the pinned stable Service and a created canary Service; restore puts everything back', async () => {
    for (const path of [[0, 25, 50, 100], [25, 0]]) {
      const before = specs();
      const d = driver(gatewayApiTrafficProvider, client(), NS, config);
      await d.prepare();
      for (const weight of path) {
        await d.setWeight(weight);
        expect(await refs()).toEqual([
          { name: 'web', port: 80, weight: 100 - weight },
          { name: 'web-canary', port: 80, weight },
        ]);
        expect(await d.verifyWeight(weight)).toBe(true);
        expect(await d.verifyWeight(weight === 50 ? 25 : 50)).toBe(false);
      }
      expect((await client().get(svc('web-canary')))?.spec).toMatchObject({ selector: { app: 'web', 'ferry.dev/pod-template-hash': CANARY.podTemplateHash }, ports: [{ port: 80, targetPort: 8080 }] });
      expect(((await client().get(svc('web')))?.spec as { selector: unknown }).selector).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': STABLE.podTemplateHash });
      await d.restore();
      expect(specs()).toEqual(before);
      expect((await client().get(routeRef))?.spec).toEqual(route.spec);
      expect(((await client().get(svc('web')))?.spec as { selector: unknown }).selector).toEqual({ app: 'web' });
      expect(await client().get(svc('web-canary'))).toBeNull();
    }
  });

  it('is idempotent', async () => {
    const d = driver(gatewayApiTrafficProvider, client(), NS, config);
    await d.prepare();
    await d.setWeight(50);
    const once = fake.snapshot(ACCOUNT);
    await d.setWeight(50);
    expect(fake.snapshot(ACCOUNT)).toBe(once);
  });

  it('rejects a rule index out of range, a missing route or stable Service, and bad configuration', async () => {
    await expect(driver(gatewayApiTrafficProvider, client(), NS, { ...config, httpRoute: { name: 'web', ruleIndex: 5 } }).prepare()).rejects.toThrow(
      'HTTPRoute/web has 2 rule(s); trafficManagement gatewayApi.httpRoute.ruleIndex 5 is out of range',
    );
    await expect(driver(gatewayApiTrafficProvider, client(), NS, { ...config, httpRoute: { name: 'nope', ruleIndex: 0 } }).prepare()).rejects.toThrow(FerryNotFoundError);
    await expect(driver(gatewayApiTrafficProvider, client(), NS, { ...config, stableService: 'nope' }).prepare()).rejects.toThrow(/Service\/nope in namespace shop does not exist \(named by trafficManagement gatewayApi.stableService\)/);
    await expect(driver(gatewayApiTrafficProvider, client(), NS, { httpRoute: { name: 'web' }, stableService: 'web' }).prepare()).rejects.toThrow(FerryInputError);
    expect(() => gatewayApi({ a: 1 } as never)).toThrow(/plugin "gatewayApi"/);
  });
});
