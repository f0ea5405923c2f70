import type { ClusterClientV1, Json, KubeObject, TrafficContextV1, TrafficProviderV1 } from '@ferry/core';

/** Fixtures shared by the unit and e2e tests of the traffic providers. */
export const STABLE = { replicaSetName: 'web-aaa111', podTemplateHash: 'aaa111' };
export const CANARY = { replicaSetName: 'web-bbb222', podTemplateHash: 'bbb222' };
export const APP_LABELS = { app: 'web' };

export function service(name: string, namespace: string, selector: Record<string, string> = APP_LABELS): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } };
}

/** A managed ReplicaSet of one version, carrying the hash labels Ferry's strategies put on pods. */
export function replicaSet(version: { replicaSetName: string; podTemplateHash: string }, namespace: string, replicas = 0): KubeObject {
  const labels = { ...APP_LABELS, 'ferry.dev/pod-template-hash': version.podTemplateHash, 'armory-pod-template-hash': version.podTemplateHash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: version.replicaSetName, namespace, labels },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'ferry/sample-app:v1' }] } } },
  };
}

/** Calls a provider the way the canary strategy does: prepare once, then every call with the state it returned. */
export function driver(provider: TrafficProviderV1, cluster: ClusterClientV1, namespace: string, config: Json) {
  let state: Json | undefined;
  const ctx = (): TrafficContextV1 => ({ cluster, namespace, config, stable: STABLE, canary: CANARY, state, signal: new AbortController().signal });
  return {
    async prepare() {
      state = await provider.prepare(ctx());
      return state;
    },
    setWeight: (weight: number) => provider.setWeight(ctx(), weight),
    verifyWeight: (weight: number) => provider.verifyWeight(ctx(), weight),
    restore: () => provider.restore(ctx()),
    get state() {
      return state;
    },
  };
}

/** What restore must give back: the spec (and identity) of a user's object. */
export function specAndName(object: KubeObject | null): unknown {
  return object ? { name: object.metadata.name, spec: object.spec } : null;
}
