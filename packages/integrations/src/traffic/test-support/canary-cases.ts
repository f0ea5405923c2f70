import type { KubeObject, TrafficProviderV1 } from '@ferry/core';
import { gatewayApiTrafficProvider } from '../gateway-api.js';
import { istioTrafficProvider } from '../istio.js';
import { nginxTrafficProvider } from '../nginx.js';
import { smiTrafficProvider } from '../smi.js';

/** Reads one object in the test namespace with client-node (not through the code under test); null when absent. */
export type Read = (apiVersion: string, kind: string, name: string) => Promise<KubeObject | null>;
export type Ref = readonly [apiVersion: string, kind: string, name: string];
export type Phase = 'promotion' | 'rollback';

/** One traffic provider in a real canary: its deploy-file config, the user's objects, and how to read its weights. */
export interface CanaryCase {
  provider: TrafficProviderV1;
  /** YAML under `trafficManagement:` (two-space indented list). */
  trafficManagement: string;
  /** The user's own objects, created with kubectl once v1 runs. */
  userObjects: (namespace: string, phase: Phase) => KubeObject[];
  /** Every object the provider may create or change: after the rollout each is the user's again, or gone. */
  touched: Ref[];
  /** What the provider objects route, as a string; `none` when there is nothing to read. */
  observe: (read: Read) => Promise<string>;
  /** `observe` while Ferry holds the canary at weight `w`. */
  weighted: (w: number) => string;
  /** Where the rollback happens. */
  rollbackAt: 25 | 50;
}

const SPLIT = 'split.smi-spec.io/v1alpha2';
const ISTIO = 'networking.istio.io/v1beta1';
const ROUTE = 'gateway.networking.k8s.io/v1';
const INGRESS = 'networking.k8s.io/v1';
const HASH = 'ferry.dev/pod-template-hash';
const ARMORY_HASH = 'armory-pod-template-hash';

type Spec<T> = { spec: T } | null;

/** Whether the canary Service exists and is pinned to one version's pods. */
async function canaryServicePinned(read: Read): Promise<string> {
  const svc = (await read('v1', 'Service', 'web-canary')) as Spec<{ selector?: Record<string, string> }>;
  if (!svc) return 'no canary Service';
  return svc.spec.selector?.[HASH] ? 'canary Service pinned' : 'canary Service unpinned';
}

const smi: CanaryCase = {
  provider: smiTrafficProvider,
  trafficManagement: '  - smi:\n      - rootServiceName: web',
  // The promotion starts from no split (Ferry creates one), the rollback from the user's own.
  userObjects: (n, phase) => (phase === 'promotion' ? [] : [{ apiVersion: SPLIT, kind: 'TrafficSplit', metadata: { name: 'web', namespace: n }, spec: { service: 'web', backends: [{ service: 'web', weight: 100 }] } }]),
  touched: [[SPLIT, 'TrafficSplit', 'web'], ['v1', 'Service', 'web-canary'], ['v1', 'Service', 'web-stable']],
  observe: async (read) => {
    const split = (await read(SPLIT, 'TrafficSplit', 'web')) as Spec<{ backends: Array<{ service: string; weight: number }> }>;
    return split ? split.spec.backends.map((b) => `${b.service}=${b.weight}`).join(',') : 'none';
  },
  weighted: (w) => `web-stable=${100 - w},web-canary=${w}`,
  rollbackAt: 25,
};

const istio: CanaryCase = {
  provider: istioTrafficProvider,
  trafficManagement: '  - istio:\n      - virtualService: {name: web}\n        destinationRule: {name: web, activeSubsetName: stable, canarySubsetName: canary}',
  userObjects: (n) => [
    { apiVersion: ISTIO, kind: 'VirtualService', metadata: { name: 'web', namespace: n }, spec: { hosts: ['web'], http: [{ name: 'primary', timeout: '5s', route: [{ destination: { host: 'web', port: { number: 80 } } }] }] } },
    { apiVersion: ISTIO, kind: 'DestinationRule', metadata: { name: 'web', namespace: n }, spec: { host: 'web', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } } },
  ],
  touched: [[ISTIO, 'VirtualService', 'web'], [ISTIO, 'DestinationRule', 'web']],
  observe: async (read) => {
    const vs = (await read(ISTIO, 'VirtualService', 'web')) as Spec<{ http: Array<{ route: Array<{ destination: { host: string; subset?: string }; weight?: number }> }> }>;
    const dr = (await read(ISTIO, 'DestinationRule', 'web')) as Spec<{ subsets?: Array<{ name: string; labels?: Record<string, string> }> }>;
    if (!vs || !dr) return 'none';
    const route = vs.spec.http[0]!.route.map((r) => `${r.destination.subset ?? r.destination.host}=${r.weight ?? '-'}`).join(',');
    const subsets = dr.spec.subsets ?? [];
    const hashes = new Set(subsets.map((s) => s.labels?.[ARMORY_HASH]));
    const pinned = subsets.length > 0 && !hashes.has(undefined) && hashes.size === subsets.length;
    return `${route} subsets=[${subsets.map((s) => s.name).join(',')}]${pinned ? ' pinned' : ''}`;
  },
  weighted: (w) => `stable=${100 - w},canary=${w} subsets=[stable,canary] pinned`,
  rollbackAt: 50,
};

const gatewayApi: CanaryCase = {
  provider: gatewayApiTrafficProvider,
  trafficManagement: '  - gatewayApi:\n      - httpRoute: {name: web}\n        stableService: web\n        canaryService: web-canary',
  userObjects: (n) => [{ apiVersion: ROUTE, kind: 'HTTPRoute', metadata: { name: 'web', namespace: n }, spec: { parentRefs: [{ name: 'gw' }], hostnames: ['shop.example'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } }],
  touched: [[ROUTE, 'HTTPRoute', 'web'], ['v1', 'Service', 'web-canary']],
  observe: async (read) => {
    const route = (await read(ROUTE, 'HTTPRoute', 'web')) as Spec<{ rules: Array<{ backendRefs: Array<{ name: string; weight?: number }> }> }>;
    if (!route) return 'none';
    return `${route.spec.rules[0]!.backendRefs.map((b) => `${b.name}=${b.weight ?? '-'}`).join(',')}; ${await canaryServicePinned(read)}`;
  },
  weighted: (w) => `web=${100 - w},web-canary=${w}; canary Service pinned`,
  rollbackAt: 25,
};

const nginx: CanaryCase = {
  provider: nginxTrafficProvider,
  trafficManagement: '  - nginx:\n      - ingress: web\n        stableService: web\n        canaryService: web-canary',
  userObjects: (n) => [
    {
      apiVersion: INGRESS,
      kind: 'Ingress',
      metadata: { name: 'web', namespace: n, annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } },
      spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    },
  ],
  touched: [[INGRESS, 'Ingress', 'web'], [INGRESS, 'Ingress', 'web-canary'], ['v1', 'Service', 'web-canary']],
  observe: async (read) => {
    const canary = await read(INGRESS, 'Ingress', 'web-canary');
    if (!canary) return 'none';
    const a = canary.metadata.annotations ?? {};
    const backend = (canary.spec as { rules: Array<{ http: { paths: Array<{ backend: { service: { name: string } } }> } }> }).rules[0]!.http.paths[0]!.backend.service.name;
    return `canary=${a['nginx.ingress.kubernetes.io/canary']},weight=${a['nginx.ingress.kubernetes.io/canary-weight']},backend=${backend}; ${await canaryServicePinned(read)}`;
  },
  weighted: (w) => `canary=true,weight=${w},backend=web-canary; canary Service pinned`,
  rollbackAt: 50,
};

export const canaryCases: Record<string, CanaryCase> = { smi, istio, gatewayApi, nginx };
