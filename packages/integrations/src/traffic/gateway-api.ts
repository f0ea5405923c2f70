import { definePlugin, FerryInputError, parsePluginOptions, type FerryPluginV1, type Json, type TrafficProviderV1 } from '@ferry/core';
import { z } from 'zod';
import { checkWeight, parseTrafficConfig, preparedState } from './shared/config.js';
import { applyAsFerry, getRequired, remember, restoreAll, specOf, type SavedObject } from './shared/objects.js';
import { pinVersionServices, selectorOf, selectsVersion } from './shared/services.js';
import { savedObjectSchema } from './shared/state.js';
import { FERRY_HASH_LABEL, versionLabel } from './shared/versions.js';

const HTTP_ROUTE = 'gateway.networking.k8s.io/v1';

const configSchema = z.object({
  httpRoute: z.object({ name: z.string().min(1), ruleIndex: z.number().int().min(0).default(0) }),
  stableService: z.string().min(1),
  canaryService: z.string().min(1),
});
type GatewayConfig = z.output<typeof configSchema>;

const stateSchema = z.object({
  stableService: savedObjectSchema,
  canaryService: savedObjectSchema,
  httpRoute: savedObjectSchema,
  /** The user's stable Service as it was: the canary Service Ferry creates copies its ports and selector. */
  stableSelector: z.record(z.string(), z.string()),
});
type GatewayState = z.output<typeof stateSchema>;

interface BackendRef {
  name: string;
  port?: number;
  weight?: number;
  [key: string]: unknown;
}
interface Rule {
  backendRefs?: BackendRef[];
  [key: string]: unknown;
}

const serviceRef = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'Service', name, namespace });
const routeRef = (name: string, namespace: string) => ({ apiVersion: HTTP_ROUTE, kind: 'HTTPRoute', name, namespace });

function rule(rules: Rule[], config: GatewayConfig): Rule {
  const found = rules[config.httpRoute.ruleIndex];
  if (!found) {
    throw new FerryInputError(
      `HTTPRoute/${config.httpRoute.name} has ${rules.length} rule(s); trafficManagement gatewayApi.httpRoute.ruleIndex ${config.httpRoute.ruleIndex} is out of range`,
      { code: 'invalid_traffic_config' },
    );
  }
  return found;
}

/** The rule's backends: the stable and canary Services (on the port the user's stable backend names). */
function backends(original: Rule, config: GatewayConfig, weight: number): BackendRef[] {
  const stable = original.backendRefs?.find((b) => b.name === config.stableService);
  const { weight: _w, name: _n, ...shape } = stable ?? { name: config.stableService };
  return [
    { ...shape, name: config.stableService, weight: 100 - weight },
    { ...shape, name: config.canaryService, weight },
  ];
}

/**
 * Gateway API [ext]: `rules[ruleIndex].backendRefs` of the user's HTTPRoute carry the stable
 * and canary Services with weights `100 - w` / `w`. Both Services are pinned to one version
 * (the stable Service gets the stable hash for the rollout, and is put back after); the
 * canary Service is created like SMI's when missing.
 */
export const gatewayApiTrafficProvider: TrafficProviderV1 = {
  specificationVersion: 'v1',
  kind: 'gatewayApi',

  async prepare(ctx) {
    const config = parseTrafficConfig('gatewayApi', configSchema, ctx.config);
    const route = await getRequired(ctx.cluster, routeRef(config.httpRoute.name, ctx.namespace), 'trafficManagement gatewayApi.httpRoute.name', ctx.signal);
    rule((specOf(route).rules ?? []) as Rule[], config);
    const stable = await getRequired(ctx.cluster, serviceRef(config.stableService, ctx.namespace), 'trafficManagement gatewayApi.stableService', ctx.signal);
    const state: GatewayState = {
      stableService: await remember(ctx.cluster, serviceRef(config.stableService, ctx.namespace), ctx.signal),
      canaryService: await remember(ctx.cluster, serviceRef(config.canaryService, ctx.namespace), ctx.signal),
      httpRoute: await remember(ctx.cluster, routeRef(config.httpRoute.name, ctx.namespace), ctx.signal),
      stableSelector: selectorOf(stable),
    };
    return state as unknown as Json;
  },

  async setWeight(ctx, weight) {
    checkWeight('gatewayApi', weight);
    const config = parseTrafficConfig('gatewayApi', configSchema, ctx.config);
    const state = preparedState('gatewayApi', stateSchema, ctx.state) as GatewayState;
    const originalRoute = state.httpRoute.original?.spec as { rules?: Rule[] } | undefined;
    if (!originalRoute || !state.stableService.original) throw new FerryInputError('trafficManagement gatewayApi: the HTTPRoute and stable Service must be the user\'s own objects', { code: 'invalid_traffic_config' });
    const stableService = await getRequired(ctx.cluster, serviceRef(config.stableService, ctx.namespace), 'trafficManagement gatewayApi.stableService', ctx.signal);
    const base = { ...stableService, spec: { ...specOf(stableService), selector: state.stableSelector } };
    await pinVersionServices(ctx, base, state as { stableService: SavedObject; canaryService: SavedObject });

    const rules = [...(originalRoute.rules ?? [])];
    const index = config.httpRoute.ruleIndex;
    rules[index] = { ...rule(rules, config), backendRefs: backends(rules[index]!, config, weight) };
    await applyAsFerry(ctx.cluster, state.httpRoute as SavedObject, { spec: { rules } }, ctx.signal);
  },

  async verifyWeight(ctx, weight) {
    const config = parseTrafficConfig('gatewayApi', configSchema, ctx.config);
    const state = preparedState('gatewayApi', stateSchema, ctx.state) as GatewayState;
    const [route, canaryService] = await Promise.all([
      ctx.cluster.get(routeRef(config.httpRoute.name, ctx.namespace), { signal: ctx.signal }),
      ctx.cluster.get(serviceRef(config.canaryService, ctx.namespace), { signal: ctx.signal }),
    ]);
    const refs = ((specOf(route ?? ({} as never)).rules ?? []) as Rule[])[config.httpRoute.ruleIndex]?.backendRefs ?? [];
    const weightOf = (name: string) => refs.find((b) => b.name === name)?.weight;
    const canary = await versionLabel(ctx.cluster, ctx.namespace, ctx.canary, [FERRY_HASH_LABEL], ctx.signal);
    return refs.length === 2 && weightOf(config.stableService) === 100 - weight && weightOf(config.canaryService) === weight && selectsVersion(canaryService, state.stableSelector, canary);
  },

  async restore(ctx) {
    const state = preparedState('gatewayApi', stateSchema, ctx.state) as GatewayState;
    await restoreAll(ctx.cluster, [state.stableService, state.canaryService, state.httpRoute] as SavedObject[], ctx.signal);
  },
};

/** `gatewayApi()`: registers the Gateway API HTTPRoute provider (`trafficManagement[].gatewayApi`). */
export function gatewayApi(options: Record<string, never> = {}): FerryPluginV1 {
  parsePluginOptions('gatewayApi', z.object({}).strict(), options);
  return definePlugin({ id: 'traffic.gatewayApi', register: (ctx) => ctx.trafficProviders.add(gatewayApiTrafficProvider) });
}
