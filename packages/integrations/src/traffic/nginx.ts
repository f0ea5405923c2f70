import { definePlugin, FerryInputError, parsePluginOptions, type FerryPluginV1, type Json, type KubeObject, type TrafficProviderV1 } from '@ferry/core';
import { z } from 'zod';
import { checkWeight, parseTrafficConfig, preparedState } from './shared/config.js';
import { applyAsFerry, getRequired, remember, restoreAll, specOf, type SavedObject } from './shared/objects.js';
import { pinVersionServices, selectorOf, selectsVersion } from './shared/services.js';
import { savedObjectSchema } from './shared/state.js';
import { FERRY_HASH_LABEL, versionLabel } from './shared/versions.js';

const INGRESS = 'networking.k8s.io/v1';
export const CANARY_ANNOTATION = 'nginx.ingress.kubernetes.io/canary';
export const CANARY_WEIGHT_ANNOTATION = 'nginx.ingress.kubernetes.io/canary-weight';
/** Annotations of the user's Ingress that must not be copied onto the canary one. */
const NOT_COPIED = ['kubectl.kubernetes.io/last-applied-configuration'];

const configSchema = z.object({
  ingress: z.string().min(1),
  stableService: z.string().min(1),
  canaryService: z.string().min(1),
});
type NginxConfig = z.output<typeof configSchema>;

const stateSchema = z.object({
  stableService: savedObjectSchema,
  canaryService: savedObjectSchema,
  canaryIngress: savedObjectSchema,
  stableSelector: z.record(z.string(), z.string()),
});
type NginxState = z.output<typeof stateSchema>;

interface Path {
  backend?: { service?: { name?: string; port?: Json } };
  [key: string]: unknown;
}
interface Rule {
  host?: string;
  http?: { paths?: Path[] };
}

const serviceRef = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'Service', name, namespace });
const ingressRef = (name: string, namespace: string) => ({ apiVersion: INGRESS, kind: 'Ingress', name, namespace });
const canaryName = (config: NginxConfig) => `${config.ingress}-canary`;

/** The user's rules, keeping only the paths that reach the stable Service, now sent to the canary Service. */
function canaryRules(ingress: KubeObject, config: NginxConfig): Rule[] {
  const rules = ((specOf(ingress).rules ?? []) as Rule[]).flatMap((rule) => {
    const paths = (rule.http?.paths ?? [])
      .filter((p) => p.backend?.service?.name === config.stableService)
      .map((p) => ({ ...p, backend: { service: { ...p.backend!.service, name: config.canaryService } } }));
    return paths.length > 0 ? [{ ...rule, http: { paths } }] : [];
  });
  if (rules.length === 0) {
    throw new FerryInputError(`Ingress/${config.ingress} has no path whose backend is Service ${config.stableService} (trafficManagement nginx.stableService)`, { code: 'invalid_traffic_config' });
  }
  return rules;
}

/**
 * ingress-nginx [ext]: a second Ingress `<ingress>-canary`, copied from the user's, with
 * `canary: "true"` and `canary-weight: "<w>"`, sending to the canary Service. The user's
 * Ingress is never changed; the stable Service is pinned to the stable version for the
 * rollout (the canary one to the canary's) so the weight is what reaches each version.
 */
export const nginxTrafficProvider: TrafficProviderV1 = {
  specificationVersion: 'v1',
  kind: 'nginx',

  async prepare(ctx) {
    const config = parseTrafficConfig('nginx', configSchema, ctx.config);
    const ingress = await getRequired(ctx.cluster, ingressRef(config.ingress, ctx.namespace), 'trafficManagement nginx.ingress', ctx.signal);
    canaryRules(ingress, config);
    const stable = await getRequired(ctx.cluster, serviceRef(config.stableService, ctx.namespace), 'trafficManagement nginx.stableService', ctx.signal);
    const state: NginxState = {
      stableService: await remember(ctx.cluster, serviceRef(config.stableService, ctx.namespace), ctx.signal),
      canaryService: await remember(ctx.cluster, serviceRef(config.canaryService, ctx.namespace), ctx.signal),
      canaryIngress: await remember(ctx.cluster, ingressRef(canaryName(config), ctx.namespace), ctx.signal),
      stableSelector: selectorOf(stable),
    };
    return state as unknown as Json;
  },

  async setWeight(ctx, weight) {
    checkWeight('nginx', weight);
    const config = parseTrafficConfig('nginx', configSchema, ctx.config);
    const state = preparedState('nginx', stateSchema, ctx.state) as NginxState;
    const ingress = await getRequired(ctx.cluster, ingressRef(config.ingress, ctx.namespace), 'trafficManagement nginx.ingress', ctx.signal);
    const stableService = await getRequired(ctx.cluster, serviceRef(config.stableService, ctx.namespace), 'trafficManagement nginx.stableService', ctx.signal);
    const base = { ...stableService, spec: { ...specOf(stableService), selector: state.stableSelector } };
    await pinVersionServices(ctx, base, state as { stableService: SavedObject; canaryService: SavedObject });

    const copied = Object.fromEntries(Object.entries(ingress.metadata.annotations ?? {}).filter(([k]) => !NOT_COPIED.includes(k)));
    const spec = specOf(ingress);
    await applyAsFerry(
      ctx.cluster,
      state.canaryIngress as SavedObject,
      {
        metadata: { annotations: { ...copied, [CANARY_ANNOTATION]: 'true', [CANARY_WEIGHT_ANNOTATION]: String(weight) } },
        spec: { ...(spec.ingressClassName ? { ingressClassName: spec.ingressClassName } : {}), rules: canaryRules(ingress, config) },
      },
      ctx.signal,
    );
  },

  async verifyWeight(ctx, weight) {
    const config = parseTrafficConfig('nginx', configSchema, ctx.config);
    const state = preparedState('nginx', stateSchema, ctx.state) as NginxState;
    const [canaryIngress, canaryService] = await Promise.all([
      ctx.cluster.get(ingressRef(canaryName(config), ctx.namespace), { signal: ctx.signal }),
      ctx.cluster.get(serviceRef(config.canaryService, ctx.namespace), { signal: ctx.signal }),
    ]);
    if (!canaryIngress) return false;
    const annotations = canaryIngress.metadata.annotations ?? {};
    const backends = ((specOf(canaryIngress).rules ?? []) as Rule[]).flatMap((r) => r.http?.paths ?? []).map((p) => p.backend?.service?.name);
    const canary = await versionLabel(ctx.cluster, ctx.namespace, ctx.canary, [FERRY_HASH_LABEL], ctx.signal);
    return (
      annotations[CANARY_ANNOTATION] === 'true' &&
      annotations[CANARY_WEIGHT_ANNOTATION] === String(weight) &&
      backends.length > 0 &&
      backends.every((name) => name === config.canaryService) &&
      selectsVersion(canaryService, state.stableSelector, canary)
    );
  },

  async restore(ctx) {
    const state = preparedState('nginx', stateSchema, ctx.state) as NginxState;
    await restoreAll(ctx.cluster, [state.stableService, state.canaryService, state.canaryIngress] as SavedObject[], ctx.signal);
  },
};

/** `nginx()`: registers the ingress-nginx canary provider (`trafficManagement[].nginx`). */
export function nginx(options: Record<string, never> = {}): FerryPluginV1 {
  parsePluginOptions('nginx', z.object({}).strict(), options);
  return definePlugin({ id: 'traffic.nginx', register: (ctx) => ctx.trafficProviders.add(nginxTrafficProvider) });
}
