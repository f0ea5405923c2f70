import { FerryNotFoundError, type ClusterClientV1, type Json, type KubeObject, type TrafficContextV1, type TrafficManagementConfig, type TrafficProviderV1 } from '@ferry/core';
import { isDeployment } from './objects.js';
import type { DeploymentRollout, TrafficRouteState } from './rollout-state.js';

/** `trafficManagement` keys that are not traffic providers. */
const NOT_PROVIDERS = new Set(['targets', 'kubernetes']);

/** One provider configuration (e.g. one `smi` entry) that applies to the target. */
export interface TrafficRoute {
  kind: string;
  index: number;
  config: Json;
  /** The Deployment whose versions it splits traffic between. */
  deployment: string;
}

/** Every traffic provider configuration for this target, in file order. */
export function trafficRoutes(
  trafficManagement: TrafficManagementConfig[],
  targetName: string,
  rollouts: DeploymentRollout[],
  manifests: KubeObject[],
): TrafficRoute[] {
  const routes: TrafficRoute[] = [];
  const counters = new Map<string, number>();
  for (const entry of trafficManagement) {
    if (entry.targets && !entry.targets.includes(targetName)) continue;
    for (const [kind, configs] of Object.entries(entry)) {
      if (NOT_PROVIDERS.has(kind) || !Array.isArray(configs)) continue;
      for (const config of configs as Json[]) {
        const index = counters.get(kind) ?? 0;
        counters.set(kind, index + 1);
        routes.push({ kind, index, config, deployment: deploymentForRoute(config, rollouts, manifests) });
      }
    }
  }
  return routes;
}

/**
 * Which Deployment a provider configuration routes to: the only one, or the one whose pod
 * labels a Service named in the configuration selects.
 */
function deploymentForRoute(config: Json, rollouts: DeploymentRollout[], manifests: KubeObject[]): string {
  const first = rollouts[0]?.deployment ?? '';
  if (rollouts.length <= 1) return first;
  const names = new Set(serviceNamesIn(config));
  const services = manifests.filter((o) => o.kind === 'Service' && names.has(o.metadata.name));
  for (const service of services) {
    const selector = (service.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {};
    const match = manifests.find((d) => isDeployment(d) && selects(selector, podLabels(d)));
    if (match) return match.metadata.name;
  }
  return first;
}

function serviceNamesIn(config: Json): string[] {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return [];
  return Object.entries(config).flatMap(([key, value]) =>
    typeof value === 'string' && /service/i.test(key) ? [value] : typeof value === 'object' ? serviceNamesIn(value) : [],
  );
}

export function podLabels(deployment: KubeObject): Record<string, string> {
  return (deployment.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template?.metadata?.labels ?? {};
}

export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** The provider registered for a route's kind; a configured kind with none registered is an error. */
export function providerFor(route: { kind: string }, lookup: (kind: string) => TrafficProviderV1 | undefined, targetName: string): TrafficProviderV1 {
  const provider = lookup(route.kind);
  if (!provider) {
    throw new FerryNotFoundError(`trafficManagement "${route.kind}" is configured for target "${targetName}" but no traffic provider of that kind is registered`, {
      code: 'traffic_provider_missing',
    });
  }
  return provider;
}

export function routeState(traffic: TrafficRouteState[], route: TrafficRoute): TrafficRouteState {
  let found = traffic.find((t) => t.kind === route.kind && t.index === route.index);
  if (!found) {
    found = { kind: route.kind, index: route.index, deployment: route.deployment, prepared: false, state: null };
    traffic.push(found);
  }
  return found;
}

export function trafficContext(
  client: ClusterClientV1,
  route: TrafficRoute,
  rollout: DeploymentRollout,
  state: TrafficRouteState,
  signal: AbortSignal,
): TrafficContextV1 {
  return {
    cluster: client,
    namespace: rollout.namespace,
    config: route.config,
    stable: rollout.stable ? { replicaSetName: rollout.stable.name, podTemplateHash: rollout.stable.hash } : {},
    canary: { replicaSetName: rollout.canary.name, podTemplateHash: rollout.canary.hash },
    state: state.prepared ? state.state : undefined,
    signal,
  };
}
