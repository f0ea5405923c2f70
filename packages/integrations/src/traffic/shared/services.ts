import type { ClusterClientV1, KubeObject, TrafficContextV1 } from '@ferry/core';
import { applyAsFerry, type SavedObject } from './objects.js';
import { FERRY_HASH_LABEL, versionLabel } from './versions.js';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}

export function selectorOf(service: KubeObject): Record<string, string> {
  return ((service.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {});
}

/**
 * Points a Service at one version's pods: `base`'s ports, and its selector plus the version's
 * hash label. Used for Services Ferry creates (a copy of the user's) and for the user's own
 * Services while a rollout runs (restored afterwards). Idempotent.
 */
export async function pinService(client: ClusterClientV1, saved: SavedObject, base: KubeObject, version: Record<string, string> | null, signal: AbortSignal): Promise<KubeObject> {
  const basePorts = ((base.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []).map((p) => ({
    ...(p.name ? { name: p.name } : {}),
    port: p.port,
    ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}),
    protocol: p.protocol ?? 'TCP',
    ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
  }));
  const selector = { ...selectorOf(base), ...version };
  // The user's own Service keeps its ports: only the selector is Ferry's while the rollout runs.
  const spec = saved.original ? { selector } : { type: 'ClusterIP', ports: basePorts, selector };
  return applyAsFerry(client, saved, { spec }, signal);
}

/**
 * Whether a Service (as stored) selects with `base`'s selector plus the version label. A
 * user's own Service may keep extra keys of its own (they are another field manager's).
 */
export function selectsVersion(service: KubeObject | null, base: Record<string, string>, version: Record<string, string> | null): boolean {
  if (!service) return false;
  const have = selectorOf(service);
  return Object.entries({ ...base, ...version }).every(([k, v]) => have[k] === v);
}

/**
 * Pins a stable-version and a canary-version Service (each a copy of `base`) to their
 * versions' pods: the backends a weighted route splits between. Both exist before the route
 * that names them is written.
 */
export async function pinVersionServices(
  ctx: TrafficContextV1,
  base: KubeObject,
  saved: { stableService: SavedObject; canaryService: SavedObject },
): Promise<void> {
  const [stable, canary] = await Promise.all([
    versionLabel(ctx.cluster, ctx.namespace, ctx.stable, [FERRY_HASH_LABEL], ctx.signal),
    versionLabel(ctx.cluster, ctx.namespace, ctx.canary, [FERRY_HASH_LABEL], ctx.signal),
  ]);
  await pinService(ctx.cluster, saved.stableService, base, stable, ctx.signal);
  await pinService(ctx.cluster, saved.canaryService, base, canary, ctx.signal);
}
