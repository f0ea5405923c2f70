import { FerryInputError, FerryNotFoundError, type KubeObject } from '@ferry/core';
import { createFakeCluster, type FakeCluster } from '@ferry/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { nginx, nginxTrafficProvider } from './nginx.js';
import { CANARY, driver, replicaSet, service, STABLE } from './test-support/fixtures.js';

const NS = 'shop';
const ACCOUNT = 'prod';
const ingressRef = (name: string) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name, namespace: NS });
const svc = (name: string) => ({ apiVersion: 'v1', kind: 'Service', name, namespace: NS });
const config = { ingress: 'web', stableService: 'web', canaryService: 'web-canary' };

const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: NS, annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } },
  spec: {
    ingressClassName: 'nginx',
    rules: [
      {
        host: 'shop.example',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            { path: '/admin', pathType: 'Prefix', backend: { service: { name: 'admin', port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
};

let fake: FakeCluster;
beforeEach(() => {
  fake = createFakeCluster();
  for (const o of [ingress, service('web', NS), replicaSet(STABLE, NS, 3), replicaSet(CANARY, NS, 1)]) fake.seed(ACCOUNT, o);
});
const client = () => fake.client(ACCOUNT, NS);
/** Every object's kind, name, labels, annotations and spec: what restore must give back. */
const specs = () => fake.objects(ACCOUNT).map((o) => ({ kind: o.kind, name: o.metadata.name, labels: o.metadata.labels, annotations: o.metadata.annotations, spec: o.spec }));

describe('nginx traffic provider', () => {
  it('creates a weighted canary Ingress to the canary Service and removes it on restore, after a promotion and after a rollback', async () => {
    for (const path of [[0, 25, 50, 100], [25, 0]]) {
      const before = specs();
      const d = driver(nginxTrafficProvider, client(), NS, config);
      await d.prepare();
      for (const weight of path) {
        await d.setWeight(weight);
        const canary = await client().get(ingressRef('web-canary'));
        expect(canary?.metadata.annotations).toEqual({
          'nginx.ingress.kubernetes.io/rewrite-target': '/',
          'nginx.ingress.kubernetes.io/canary': 'true',
          'nginx.ingress.kubernetes.io/canary-weight': String(weight),
        });
        expect(canary?.spec).toEqual({
          ingressClassName: 'nginx',
          rules: [{ host: 'shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web-canary', port: { number: 80 } } } }] } }],
        });
        expect(await d.verifyWeight(weight)).toBe(true);
        expect(await d.verifyWeight(weight === 50 ? 25 : 50)).toBe(false);
      }
      expect((await client().get(svc('web-canary')))?.spec).toMatchObject({ selector: { app: 'web', 'ferry.dev/pod-template-hash': CANARY.podTemplateHash } });
      expect((await client().get(svc('web')))?.spec).toMatchObject({ selector: { app: 'web', 'ferry.dev/pod-template-hash': STABLE.podTemplateHash } });
      expect((await client().get(ingressRef('web')))?.spec).toEqual(ingress.spec); // the user's Ingress is never touched
      await d.restore();
      expect(specs()).toEqual(before);
      expect(await client().get(ingressRef('web-canary'))).toBeNull();
    }
  });

  it('is idempotent', async () => {
    const d = driver(nginxTrafficProvider, client(), NS, config);
    await d.prepare();
    await d.setWeight(25);
    const once = fake.snapshot(ACCOUNT);
    await d.setWeight(25);
    expect(fake.snapshot(ACCOUNT)).toBe(once);
  });

  it('names a missing Ingress, an Ingress that never reaches the stable Service, and bad configuration', async () => {
    await expect(driver(nginxTrafficProvider, client(), NS, { ...config, ingress: 'nope' }).prepare()).rejects.toThrow(FerryNotFoundError);
    await expect(driver(nginxTrafficProvider, client(), NS, { ...config, stableService: 'other' }).prepare()).rejects.toThrow(
      'Ingress/web has no path whose backend is Service other (trafficManagement nginx.stableService)',
    );
    await expect(driver(nginxTrafficProvider, client(), NS, { ingress: 'web' }).prepare()).rejects.toThrow(FerryInputError);
    await expect(driver(nginxTrafficProvider, client(), NS, { ingress: 'web' }).prepare()).rejects.toThrow(/nginx.stableService/);
    expect(() => nginx({ a: 1 } as never)).toThrow(/plugin "nginx"/);
  });
});
