import { definePlugin, parsePluginOptions, type FerryPluginV1, type Json, type TrafficContextV1, type TrafficProviderV1 } from '@ferry/core';
import { z } from 'zod';
import { checkWeight, parseTrafficConfig, preparedState } from './shared/config.js';
import { applyAsFerry, getRequired, remember, restoreAll, specOf, type SavedObject } from './shared/objects.js';
import { pinVersionServices, selectorOf, selectsVersion } from './shared/services.js';
import { savedObjectSchema } from './shared/state.js';
import { FERRY_HASH_LABEL, versionLabel } from './shared/versions.js';

const TRAFFIC_SPLIT = 'split.smi-spec.io/v1alpha2';

const configSchema = z.object({
  rootServiceName: z.string().min(1),
  canaryServiceName: z.string().min(1).optional(),
  trafficSplitName: z.string().min(1).optional(),
});

const stateSchema = z.object({
  split: savedObjectSchema,
  canaryService: savedObjectSchema,
  stableService: savedObjectSchema,
});
type SmiState = z.output<typeof stateSchema>;

interface SmiNames {
  root: string;
  canary: string;
  stable: string;
  split: string;
}

function names(ctx: TrafficContextV1): SmiNames {
  const c = parseTrafficConfig('smi', configSchema, ctx.config);
  return { root: c.rootServiceName, canary: c.canaryServiceName ?? `${c.rootServiceName}-canary`, stable: `${c.rootServiceName}-stable`, split: c.trafficSplitName ?? c.rootServiceName };
}

const serviceRef = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'Service', name, namespace });

/**
 * SMI TrafficSplit: `spec.service` is the root Service clients call; its traffic goes to two
 * backends by integer weight (summing to 100): `<root>-stable`, pinned to the stable
 * version's pods, and the canary Service, pinned to the canary's. Pinning both is what makes
 * the weights mean what they say: the root Service itself selects every version.
 */
export const smiTrafficProvider: TrafficProviderV1 = {
  specificationVersion: 'v1',
  kind: 'smi',

  async prepare(ctx) {
    const n = names(ctx);
    await getRequired(ctx.cluster, serviceRef(n.root, ctx.namespace), `trafficManagement smi.rootServiceName`, ctx.signal);
    const state: SmiState = {
      split: await remember(ctx.cluster, { apiVersion: TRAFFIC_SPLIT, kind: 'TrafficSplit', name: n.split, namespace: ctx.namespace }, ctx.signal),
      canaryService: await remember(ctx.cluster, serviceRef(n.canary, ctx.namespace), ctx.signal),
      stableService: await remember(ctx.cluster, serviceRef(n.stable, ctx.namespace), ctx.signal),
    };
    return state as unknown as Json;
  },

  async setWeight(ctx, weight) {
    checkWeight('smi', weight);
    const n = names(ctx);
    const state = preparedState('smi', stateSchema, ctx.state) as SmiState;
    const root = await getRequired(ctx.cluster, serviceRef(n.root, ctx.namespace), `trafficManagement smi.rootServiceName`, ctx.signal);
    // Backends first, so the split never names a Service that does not exist yet.
    await pinVersionServices(ctx, root, state as { stableService: SavedObject; canaryService: SavedObject });
    await applyAsFerry(ctx.cluster, state.split as SavedObject, { spec: splitSpec(n, weight) }, ctx.signal);
  },

  async verifyWeight(ctx, weight) {
    const n = names(ctx);
    const get = (ref: { apiVersion: string; kind: string; name: string }) => ctx.cluster.get({ ...ref, namespace: ctx.namespace }, { signal: ctx.signal });
    const [split, root, canaryService] = await Promise.all([
      get({ apiVersion: TRAFFIC_SPLIT, kind: 'TrafficSplit', name: n.split }),
      get(serviceRef(n.root, ctx.namespace)),
      get(serviceRef(n.canary, ctx.namespace)),
    ]);
    if (!split || !root) return false;
    const canary = await versionLabel(ctx.cluster, ctx.namespace, ctx.canary, [FERRY_HASH_LABEL], ctx.signal);
    return sameSplit(splitSpec(n, weight), specOf(split)) && selectsVersion(canaryService, selectorOf(root), canary);
  },

  async restore(ctx) {
    const state = preparedState('smi', stateSchema, ctx.state) as SmiState;
    await restoreAll(ctx.cluster, [state.split, state.canaryService, state.stableService] as SavedObject[], ctx.signal);
  },
};

function splitSpec(n: SmiNames, weight: number) {
  return {
    service: n.root,
    backends: [
      { service: n.stable, weight: 100 - weight },
      { service: n.canary, weight },
    ],
  };
}

function sameSplit(want: ReturnType<typeof splitSpec>, have: Record<string, unknown>): boolean {
  const backends = (have.backends ?? []) as Array<{ service?: string; weight?: number }>;
  return have.service === want.service && backends.length === 2 && want.backends.every((b, i) => backends[i]?.service === b.service && backends[i]?.weight === b.weight);
}

/** `smi()`: registers the SMI TrafficSplit provider (`trafficManagement[].smi`). */
export function smi(options: Record<string, never> = {}): FerryPluginV1 {
  parsePluginOptions('smi', z.object({}).strict(), options);
  return definePlugin({ id: 'traffic.smi', register: (ctx) => ctx.trafficProviders.add(smiTrafficProvider) });
}
