import { type KubeHttp } from '../node/kube-http.js';
import { type KubeList } from '../node/kube-types.js';
import { type PodPortsFile } from '../node/state-files.js';
import { parseWeight, type Backend, type LocalEndpoint } from './weights.js';

interface Service {
  spec: { ports?: { name?: string; port: number; targetPort?: number | string }[] };
}
interface Endpoints {
  subsets?: {
    addresses?: { ip: string; targetRef?: { kind: string; name: string; namespace?: string } }[];
    ports?: { name?: string; port: number }[];
  }[];
}
interface Named<S> {
  metadata: { name: string };
  spec: S;
}
type TrafficSplit = Named<{ service: string; backends?: { service: string; weight?: number | string }[] }>;
type VirtualService = Named<{
  hosts?: string[];
  http?: { route?: { destination: { host: string; subset?: string }; weight?: number }[] }[];
}>;
type DestinationRule = Named<{ host: string; subsets?: { name: string; labels?: Record<string, string> }[] }>;
type HttpRoute = Named<{
  parentRefs?: { kind?: string; name: string; group?: string }[];
  rules?: { backendRefs?: { kind?: string; name: string; weight?: number }[] }[];
}>;

// Served versions to try, newest first; a group whose CRDs are not installed simply answers 404.
const SMI_VERSIONS = ['v1alpha4', 'v1alpha3', 'v1alpha2', 'v1alpha1'];
const ISTIO_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];
const GATEWAY_VERSIONS = ['v1', 'v1beta1', 'v1alpha2'];

/** How traffic addressed to one Service is spread, and where it actually lands on this machine. */
export interface Routing {
  /** Which resource decided the split: plain kube-proxy, or a mesh/gateway route. */
  source: 'service' | 'TrafficSplit' | 'VirtualService' | 'HTTPRoute';
  backends: Backend[];
}

/**
 * Resolves routing for `service` like the data plane would: a TrafficSplit, VirtualService or
 * HTTPRoute for it splits by weight first; each backend then spreads over its ready endpoints.
 */
export async function resolveRouting(http: KubeHttp, namespace: string, service: string, ports: PodPortsFile): Promise<Routing> {
  const ns = encodeURIComponent(namespace);
  const split = (await listFirst<TrafficSplit>(http, 'split.smi-spec.io', SMI_VERSIONS, ns, 'trafficsplits')).find(
    (ts) => ts.spec.service === service,
  );
  if (split?.spec.backends?.length) {
    const backends = await Promise.all(
      split.spec.backends.map(async (b) => ({ service: b.service, weight: parseWeight(b.weight, 0), endpoints: await serviceEndpoints(http, namespace, b.service, ports) })),
    );
    return { source: 'TrafficSplit', backends };
  }

  const hosts = new Set([service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`]);
  const shortHost = (host: string) => (hosts.has(host) ? service : host.split('.')[0] ?? host);
  const virtualService = (await listFirst<VirtualService>(http, 'networking.istio.io', ISTIO_VERSIONS, ns, 'virtualservices')).find((vs) =>
    (vs.spec.hosts ?? []).some((h) => hosts.has(h)),
  );
  const routes = virtualService?.spec.http?.[0]?.route;
  if (routes?.length) {
    const rules = routes.some((r) => r.destination.subset)
      ? await listFirst<DestinationRule>(http, 'networking.istio.io', ISTIO_VERSIONS, ns, 'destinationrules')
      : [];
    const podLabels = routes.some((r) => r.destination.subset) ? await podLabelsIn(http, namespace) : new Map();
    const backends = await Promise.all(
      routes.map(async (route) => {
        const host = shortHost(route.destination.host);
        let endpoints = await serviceEndpoints(http, namespace, host, ports);
        const subset = route.destination.subset;
        if (subset) {
          const labels = rules.find((r) => shortHost(r.spec.host) === host)?.spec.subsets?.find((s) => s.name === subset)?.labels ?? {};
          endpoints = endpoints.filter((e) => Object.entries(labels).every(([k, v]) => podLabels.get(e.pod)?.[k] === v));
        }
        // A single route without a weight takes everything (Istio's default).
        const weight = route.weight ?? (routes.length === 1 ? 100 : 0);
        return { service: subset ? `${host}/${subset}` : host, weight, endpoints };
      }),
    );
    return { source: 'VirtualService', backends };
  }

  const httpRoute = (await listFirst<HttpRoute>(http, 'gateway.networking.k8s.io', GATEWAY_VERSIONS, ns, 'httproutes')).find(
    (route) =>
      (route.spec.parentRefs ?? []).some((p) => p.kind === 'Service' && p.name === service) ||
      (route.spec.rules ?? []).some((rule) => (rule.backendRefs ?? []).some((b) => (b.kind ?? 'Service') === 'Service' && b.name === service)),
  );
  const backendRefs = httpRoute?.spec.rules?.find((rule) => rule.backendRefs?.length)?.backendRefs;
  if (backendRefs?.length) {
    const backends = await Promise.all(
      backendRefs.map(async (b) => ({ service: b.name, weight: b.weight ?? 1, endpoints: await serviceEndpoints(http, namespace, b.name, ports) })),
    );
    return { source: 'HTTPRoute', backends };
  }

  return { source: 'service', backends: [{ service, weight: 1, endpoints: await serviceEndpoints(http, namespace, service, ports) }] };
}

/** Ready endpoints of a Service (what kube-proxy balances over), mapped to the pods' loopback ports. */
async function serviceEndpoints(http: KubeHttp, namespace: string, service: string, ports: PodPortsFile): Promise<LocalEndpoint[]> {
  const ns = encodeURIComponent(namespace);
  const name = encodeURIComponent(service);
  const [svc, endpoints] = await Promise.all([
    http.getOptional<Service>(`/api/v1/namespaces/${ns}/services/${name}`),
    http.getOptional<Endpoints>(`/api/v1/namespaces/${ns}/endpoints/${name}`),
  ]);
  if (!svc || !endpoints) return [];
  const servicePortName = svc.spec.ports?.[0]?.name;
  const result: LocalEndpoint[] = [];
  for (const subset of endpoints.subsets ?? []) {
    const port = (subset.ports ?? []).find((p) => p.name === servicePortName) ?? subset.ports?.[0];
    for (const address of subset.addresses ?? []) {
      if (address.targetRef?.kind !== 'Pod') continue;
      const podNamespace = address.targetRef.namespace ?? namespace;
      const local = ports.pods[`${podNamespace}/${address.targetRef.name}`];
      const localPort = local && port ? (local.ports[String(port.port)] ?? Object.values(local.ports)[0]) : undefined;
      result.push({
        namespace: podNamespace,
        pod: address.targetRef.name,
        ...(localPort !== undefined ? { port: localPort } : {}),
        ...(local?.replicaset ? { replicaset: local.replicaset } : {}),
      });
    }
  }
  return result;
}

// Which version of each group the API serves (null: none), re-discovered now and then so CRDs
// installed after the generator started are noticed without probing every version every second.
const servedVersion = new Map<string, { version: string | null; at: number }>();
const REDISCOVER_MS = 10_000;

async function listFirst<T>(http: KubeHttp, group: string, versions: string[], ns: string, plural: string): Promise<T[]> {
  const cacheKey = `${group}/${plural}`;
  const cached = servedVersion.get(cacheKey);
  if (cached && Date.now() - cached.at < REDISCOVER_MS) {
    if (cached.version === null) return [];
    const list = await http.getOptional<KubeList<T>>(`/apis/${group}/${cached.version}/namespaces/${ns}/${plural}`);
    if (list) return list.items;
  }
  for (const version of versions) {
    const list = await http.getOptional<KubeList<T>>(`/apis/${group}/${version}/namespaces/${ns}/${plural}`);
    if (list) {
      servedVersion.set(cacheKey, { version, at: Date.now() });
      return list.items;
    }
  }
  servedVersion.set(cacheKey, { version: null, at: Date.now() });
  return [];
}

async function podLabelsIn(http: KubeHttp, namespace: string): Promise<Map<string, Record<string, string>>> {
  const pods = await http.get<KubeList<{ metadata: { name: string; labels?: Record<string, string> } }>>(
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
  );
  return new Map(pods.items.map((p) => [p.metadata.name, p.metadata.labels ?? {}]));
}
