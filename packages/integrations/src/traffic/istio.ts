import { definePlugin, FerryInputError, parsePluginOptions, type FerryPluginV1, type Json, type KubeObject, type TrafficContextV1, type TrafficProviderV1 } from '@ferry/core';
import { z } from 'zod';
import { checkWeight, parseTrafficConfig, preparedState } from './shared/config.js';
import { applyAsFerry, getRequired, remember, restoreAll, specOf, type SavedObject } from './shared/objects.js';
import { savedObjectSchema } from './shared/state.js';
import { ARMORY_HASH_LABEL, HASH_LABELS, survivingVersion, versionLabel } from './shared/versions.js';

const API_VERSION = 'networking.istio.io/v1beta1';

const configSchema = z.object({
  virtualService: z.object({ name: z.string().min(1), httpRouteName: z.string().min(1).optional() }),
  destinationRule: z.object({ name: z.string().min(1), activeSubsetName: z.string().min(1), canarySubsetName: z.string().min(1) }),
});
type IstioConfig = z.output<typeof configSchema>;

const stateSchema = z.object({ virtualService: savedObjectSchema, destinationRule: savedObjectSchema });
type IstioState = z.output<typeof stateSchema>;

interface HttpRoute {
  name?: string;
  route?: Array<{ destination?: { host?: string; subset?: string; port?: Json }; weight?: number }>;
  [key: string]: unknown;
}
interface Subset {
  name: string;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

const ref = (kind: string, name: string, namespace: string) => ({ apiVersion: API_VERSION, kind, name, namespace });

/** The route to shift: the only one, or the one named by `httpRouteName`; errors list the routes there are. */
function routeIndex(virtualService: KubeObject, config: IstioConfig): number {
  const routes = (specOf(virtualService).http ?? []) as HttpRoute[];
  const where = `VirtualService/${virtualService.metadata.name}`;
  const list = routes.map((r, i) => r.name ?? `#${i} (unnamed)`).join(', ');
  const wanted = config.virtualService.httpRouteName;
  if (wanted) {
    const index = routes.findIndex((r) => r.name === wanted);
    if (index < 0) throw new FerryInputError(`${where} has no http route named "${wanted}" (routes: ${list || 'none'}); set by trafficManagement istio.virtualService.httpRouteName`, { code: 'invalid_traffic_config' });
    return index;
  }
  if (routes.length !== 1) {
    throw new FerryInputError(`${where} has ${routes.length} http routes (${list || 'none'}); name one with trafficManagement istio.virtualService.httpRouteName`, { code: 'invalid_traffic_config' });
  }
  return 0;
}

/** The destination host (and port) the weighted route sends to: the user's first destination. */
function destinationOf(route: HttpRoute, where: string): { host: string; port?: Json } {
  const first = route.route?.[0]?.destination;
  if (!first?.host) throw new FerryInputError(`${where}: the http route to shift has no destination host`, { code: 'invalid_traffic_config' });
  return first.port === undefined ? { host: first.host } : { host: first.host, port: first.port };
}

function weightedRoute(route: HttpRoute, config: IstioConfig, host: { host: string; port?: Json }, weight: number): HttpRoute {
  const { activeSubsetName, canarySubsetName } = config.destinationRule;
  return {
    ...route,
    route: [
      { destination: { ...host, subset: activeSubsetName }, weight: 100 - weight },
      { destination: { ...host, subset: canarySubsetName }, weight },
    ],
  };
}

/**
 * Istio: the chosen VirtualService http route sends `100 - w` to the DestinationRule's active
 * subset and `w` to its canary subset; the subsets select pods by `armory-pod-template-hash`
 * (stable hash / canary hash), created or updated in the user's DestinationRule. Both
 * objects must exist; both are put back exactly on restore.
 */
export const istioTrafficProvider: TrafficProviderV1 = {
  specificationVersion: 'v1',
  kind: 'istio',

  async prepare(ctx) {
    const config = parseTrafficConfig('istio', configSchema, ctx.config);
    const vsRef = ref('VirtualService', config.virtualService.name, ctx.namespace);
    const drRef = ref('DestinationRule', config.destinationRule.name, ctx.namespace);
    const vs = await getRequired(ctx.cluster, vsRef, 'trafficManagement istio.virtualService.name', ctx.signal);
    await getRequired(ctx.cluster, drRef, 'trafficManagement istio.destinationRule.name', ctx.signal);
    const route = ((specOf(vs).http ?? []) as HttpRoute[])[routeIndex(vs, config)]!;
    destinationOf(route, `VirtualService/${vs.metadata.name}`);
    const state: IstioState = { virtualService: await remember(ctx.cluster, vsRef, ctx.signal), destinationRule: await remember(ctx.cluster, drRef, ctx.signal) };
    return state as unknown as Json;
  },

  async setWeight(ctx, weight) {
    checkWeight('istio', weight);
    const config = parseTrafficConfig('istio', configSchema, ctx.config);
    const state = preparedState('istio', stateSchema, ctx.state) as IstioState;
    const original = state.virtualService.original?.spec as { http?: HttpRoute[] } | undefined;
    const originalRules = state.destinationRule.original?.spec as { host: string; subsets?: Subset[] } | undefined;
    if (!original || !originalRules) throw new FerryInputError('trafficManagement istio: the VirtualService and DestinationRule must be the user\'s own objects', { code: 'invalid_traffic_config' });

    // Subsets first, so the route never names a subset the rule lacks.
    const [stable, canary] = await Promise.all([
      versionLabel(ctx.cluster, ctx.namespace, ctx.stable, [ARMORY_HASH_LABEL], ctx.signal),
      versionLabel(ctx.cluster, ctx.namespace, ctx.canary, [ARMORY_HASH_LABEL], ctx.signal),
    ]);
    await applyAsFerry(ctx.cluster, state.destinationRule as SavedObject, { spec: { host: originalRules.host, subsets: subsets(originalRules.subsets ?? [], config, stable, canary) } }, ctx.signal);

    // The route is read from the original, not the live object: applying the same input is what makes this idempotent.
    const vs: KubeObject = { apiVersion: API_VERSION, kind: 'VirtualService', metadata: { name: config.virtualService.name }, spec: original as Record<string, unknown> };
    const http = [...(original.http ?? [])];
    const index = routeIndex(vs, config);
    http[index] = weightedRoute(http[index]!, config, destinationOf(http[index]!, `VirtualService/${config.virtualService.name}`), weight);
    await applyAsFerry(ctx.cluster, state.virtualService as SavedObject, { spec: { http } }, ctx.signal);
  },

  async verifyWeight(ctx, weight) {
    const config = parseTrafficConfig('istio', configSchema, ctx.config);
    const [vs, dr] = await Promise.all([
      ctx.cluster.get(ref('VirtualService', config.virtualService.name, ctx.namespace), { signal: ctx.signal }),
      ctx.cluster.get(ref('DestinationRule', config.destinationRule.name, ctx.namespace), { signal: ctx.signal }),
    ]);
    if (!vs || !dr) return false;
    const route = ((specOf(vs).http ?? []) as HttpRoute[])[routeIndex(vs, config)];
    const { activeSubsetName, canarySubsetName } = config.destinationRule;
    const weightOf = (subset: string) => route?.route?.find((d) => d.destination?.subset === subset)?.weight ?? 0;
    const canary = await versionLabel(ctx.cluster, ctx.namespace, ctx.canary, [ARMORY_HASH_LABEL], ctx.signal);
    const canarySubset = ((specOf(dr).subsets ?? []) as Subset[]).find((s) => s.name === canarySubsetName);
    const pinned = Object.entries(canary ?? {}).every(([k, v]) => canarySubset?.labels?.[k] === v);
    return route?.route?.length === 2 && weightOf(activeSubsetName) === 100 - weight && weightOf(canarySubsetName) === weight && pinned;
  },

  async restore(ctx) {
    const config = parseTrafficConfig('istio', configSchema, ctx.config);
    const state = preparedState('istio', stateSchema, ctx.state) as IstioState;
    const rule = await ruleToRestore(ctx, config, state.destinationRule as SavedObject);
    // The route first: it must stop naming the canary subset before the rule loses it.
    await restoreAll(ctx.cluster, [state.virtualService as SavedObject, rule], ctx.signal);
  },
};

/** The user's subsets with the active and canary ones pinned to their versions (added when missing). */
function subsets(existing: Subset[], config: IstioConfig, stable: Record<string, string> | null, canary: Record<string, string> | null): Subset[] {
  const { activeSubsetName, canarySubsetName } = config.destinationRule;
  const pinned = (name: string, labels: Record<string, string> | null): Subset => {
    const current = existing.find((s) => s.name === name);
    return { ...current, name, labels: labels ?? {} };
  };
  const others = existing.filter((s) => s.name !== activeSubsetName && s.name !== canarySubsetName);
  return [...others, pinned(activeSubsetName, stable), pinned(canarySubsetName, canary)];
}

/**
 * The user's DestinationRule as it was, with one exception: an active subset the user had
 * pinned to a version by a hash label (as the reference leaves it after each deployment)
 * would, restored as it was, send all traffic to the old pods after a promotion, so it is
 * pinned to the promoted version instead.
 */
async function ruleToRestore(ctx: TrafficContextV1, config: IstioConfig, saved: SavedObject): Promise<SavedObject> {
  const spec = saved.original?.spec as { subsets?: Subset[] } | undefined;
  const active = spec?.subsets?.find((s) => s.name === config.destinationRule.activeSubsetName);
  const pinnedBy = Object.keys(active?.labels ?? {}).find((k) => HASH_LABELS.includes(k));
  if (!spec || !active || !pinnedBy) return saved;
  if ((await survivingVersion(ctx.cluster, ctx.namespace, ctx.stable, ctx.canary, ctx.signal)) !== 'canary') return saved;
  const subsets = spec.subsets!.map((s) => (s === active ? { ...s, labels: { ...s.labels, [pinnedBy]: ctx.canary.podTemplateHash } } : s));
  return { ...saved, original: { spec: { ...spec, subsets } as unknown as Json } };
}

/** `istio()`: registers the Istio VirtualService/DestinationRule provider (`trafficManagement[].istio`). */
export function istio(options: Record<string, never> = {}): FerryPluginV1 {
  parsePluginOptions('istio', z.object({}).strict(), options);
  return definePlugin({ id: 'traffic.istio', register: (ctx) => ctx.trafficProviders.add(istioTrafficProvider) });
}
