import { installCrds } from '@ferry/devcluster';
import { devcluster, useTestNamespace } from '@ferry/devcluster/vitest';
import type { ClusterClientV1, Json, KubeObject, TrafficProviderV1 } from '@ferry/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigConnector } from '../kubernetes/kubeconfig-connector.js';
import { gatewayApiTrafficProvider } from './gateway-api.js';
import { istioTrafficProvider } from './istio.js';
import { nginxTrafficProvider } from './nginx.js';
import { smiTrafficProvider } from './smi.js';
import { CANARY, driver, replicaSet, service, STABLE } from './test-support/fixtures.js';

/**
 * Each provider against a real API server with the CRDs installed: prepare → 25 → 50 → 100 →
 * restore (a promotion) and prepare → 25 → 0 → restore (a rollback), reading the stored
 * objects back at each step, and checking the user's objects come back exactly.
 */
const ns = useTestNamespace({ prefix: 'traffic' });

beforeAll(async () => {
  await installCrds(devcluster().kubeconfigPath, ['smi', 'istio', 'gatewayApi']);
});

async function setup(objects: KubeObject[]): Promise<ClusterClientV1> {
  const connector = kubeconfigConnector({ kubeconfigPath: ns.current.kubeconfigPath });
  const cluster = await connector.client({ account: ns.current.kubeConfig.getCurrentContext(), namespace: ns.current.name });
  // Created the way a user would (kubectl create), not by Ferry's field manager.
  for (const object of [replicaSet(STABLE, ns.current.name, 0), replicaSet(CANARY, ns.current.name, 0), ...objects]) {
    await ns.current.objects.create(object as never);
  }
  return cluster;
}

/** Reads an object with client-node directly (not through the code under test). */
async function read(apiVersion: string, kind: string, name: string): Promise<KubeObject | null> {
  try {
    return (await ns.current.objects.read({ apiVersion, kind, metadata: { name, namespace: ns.current.name } })) as unknown as KubeObject;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return null;
    throw error;
  }
}

interface Case {
  provider: TrafficProviderV1;
  config: (namespace: string) => Json;
  objects: (namespace: string) => KubeObject[];
  /** The user's objects restore must give back, and the ones Ferry creates and must remove. */
  userObjects: Array<[string, string, string]>;
  createdObjects: Array<[string, string, string]>;
  /** The weights as stored, read back with client-node. */
  stored: () => Promise<unknown>;
  expected: (weight: number) => unknown;
}

const ISTIO = 'networking.istio.io/v1beta1';
const cases: Record<string, Case> = {
  smi: {
    provider: smiTrafficProvider,
    config: () => ({ rootServiceName: 'web' }),
    objects: (n) => [service('web', n)],
    userObjects: [['v1', 'Service', 'web']],
    createdObjects: [['split.smi-spec.io/v1alpha2', 'TrafficSplit', 'web'], ['v1', 'Service', 'web-canary'], ['v1', 'Service', 'web-stable']],
    stored: async () => ((await read('split.smi-spec.io/v1alpha2', 'TrafficSplit', 'web'))?.spec as { backends: unknown }).backends,
    expected: (w) => [{ service: 'web-stable', weight: 100 - w }, { service: 'web-canary', weight: w }],
  },
  istio: {
    provider: istioTrafficProvider,
    config: () => ({ virtualService: { name: 'web', httpRouteName: 'primary' }, destinationRule: { name: 'web', activeSubsetName: 'stable', canarySubsetName: 'canary' } }),
    objects: (n) => [
      service('web', n),
      { apiVersion: ISTIO, kind: 'VirtualService', metadata: { name: 'web', namespace: n }, spec: { hosts: ['web'], http: [{ name: 'admin', match: [{ uri: { prefix: '/admin' } }], route: [{ destination: { host: 'admin' } }] }, { name: 'primary', route: [{ destination: { host: 'web' } }] }] } },
      { apiVersion: ISTIO, kind: 'DestinationRule', metadata: { name: 'web', namespace: n }, spec: { host: 'web', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } } },
    ],
    userObjects: [[ISTIO, 'VirtualService', 'web'], [ISTIO, 'DestinationRule', 'web']],
    createdObjects: [],
    stored: async () => {
      const vs = (await read(ISTIO, 'VirtualService', 'web'))?.spec as { http: Array<{ route: unknown }> };
      const dr = (await read(ISTIO, 'DestinationRule', 'web'))?.spec as { subsets: unknown };
      return { route: vs.http[1]!.route, subsets: dr.subsets };
    },
    expected: (w) => ({
      route: [{ destination: { host: 'web', subset: 'stable' }, weight: 100 - w }, { destination: { host: 'web', subset: 'canary' }, weight: w }],
      subsets: [{ name: 'stable', labels: { 'armory-pod-template-hash': STABLE.podTemplateHash } }, { name: 'canary', labels: { 'armory-pod-template-hash': CANARY.podTemplateHash } }],
    }),
  },
  gatewayApi: {
    provider: gatewayApiTrafficProvider,
    config: () => ({ httpRoute: { name: 'web', ruleIndex: 0 }, stableService: 'web', canaryService: 'web-canary' }),
    objects: (n) => [
      service('web', n),
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: n }, spec: { parentRefs: [{ name: 'gw' }], hostnames: ['shop.example'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } },
    ],
    userObjects: [['v1', 'Service', 'web'], ['gateway.networking.k8s.io/v1', 'HTTPRoute', 'web']],
    createdObjects: [['v1', 'Service', 'web-canary']],
    stored: async () => ((await read('gateway.networking.k8s.io/v1', 'HTTPRoute', 'web'))?.spec as { rules: Array<{ backendRefs: unknown }> }).rules[0]!.backendRefs,
    // The API server fills in the backendRef kind's default.
    expected: (w) => [{ kind: 'Service', name: 'web', port: 80, weight: 100 - w }, { kind: 'Service', name: 'web-canary', port: 80, weight: w }],
  },
  nginx: {
    provider: nginxTrafficProvider,
    config: () => ({ ingress: 'web', stableService: 'web', canaryService: 'web-canary' }),
    objects: (n) => [
      service('web', n),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web', namespace: n },
        spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
      },
    ],
    userObjects: [['v1', 'Service', 'web'], ['networking.k8s.io/v1', 'Ingress', 'web']],
    createdObjects: [['networking.k8s.io/v1', 'Ingress', 'web-canary'], ['v1', 'Service', 'web-canary']],
    stored: async () => {
      const canary = await read('networking.k8s.io/v1', 'Ingress', 'web-canary');
      return { annotations: canary?.metadata.annotations, backend: (canary?.spec as { rules: Array<{ http: { paths: Array<{ backend: unknown }> } }> }).rules[0]!.http.paths[0]!.backend };
    },
    expected: (w) => ({
      annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': String(w) },
      backend: { service: { name: 'web-canary', port: { number: 80 } } },
    }),
  },
};

describe.each(Object.entries(cases))('%s traffic provider on a real API server', (_kind, c) => {
  async function userSpecs() {
    return Promise.all(c.userObjects.map(async ([apiVersion, kind, name]) => JSON.stringify((await read(apiVersion, kind, name))?.spec)));
  }

  it.each([
    ['a promotion', [25, 50, 100]],
    ['a rollback', [25, 0]],
  ])('shifts the weights and restores the original objects after %s', async (_what, weights) => {
    const cluster = await setup(c.objects(ns.current.name));
    const before = await userSpecs();
    const d = driver(c.provider, cluster, ns.current.name, c.config(ns.current.name));
    await d.prepare();
    for (const weight of weights) {
      await d.setWeight(weight);
      expect(await c.stored()).toEqual(c.expected(weight));
      expect(await d.verifyWeight(weight)).toBe(true);
      await d.setWeight(weight); // idempotent: a re-run changes nothing
      expect(await c.stored()).toEqual(c.expected(weight));
    }
    if (c.createdObjects.some(([, kind]) => kind === 'Service')) {
      const canary = await read('v1', 'Service', 'web-canary');
      expect((canary?.spec as { selector: unknown }).selector).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': CANARY.podTemplateHash });
    }
    await d.restore();
    expect(await userSpecs()).toEqual(before);
    for (const [apiVersion, kind, name] of c.createdObjects) expect(await read(apiVersion, kind, name), `${kind}/${name}`).toBeNull();
    await d.restore(); // idempotent
    expect(await userSpecs()).toEqual(before);
  });
});
