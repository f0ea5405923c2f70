import { FerryInputError, FerryNotFoundError, type BlueGreenStrategyConfig, type ClusterClientV1, type KubeObject, type TrafficManagementConfig } from '@ferry/core';
import { VERSION_LABELS } from '../kubernetes/labels.js';
import { deploymentsOf } from '../kubernetes/manifests.js';
import type { DeploymentRollout } from '../kubernetes/rollout-state.js';
import { podLabels, selects } from '../kubernetes/traffic.js';

export interface ServicePair {
  active: string;
  preview?: string;
}

/** The Services a blue/green rollout moves: from the strategy block, else from `trafficManagement[].kubernetes` for the target. */
export function servicePairs(block: BlueGreenStrategyConfig, trafficManagement: TrafficManagementConfig[], targetName: string): ServicePair[] {
  if (block.activeService) return [{ active: block.activeService, ...(block.previewService ? { preview: block.previewService } : {}) }];
  return trafficManagement
    .filter((t) => !t.targets || t.targets.includes(targetName))
    .flatMap((t) => t.kubernetes)
    .map((k) => ({ active: k.activeService, ...(k.previewService ? { preview: k.previewService } : {}) }));
}

/** A version of a Deployment, as a Service selector can pin it. */
export interface PinnedVersion {
  hash: string;
  hashLabel: string;
}

/** Points a Service at one version: its hash label set, every other version label removed. Idempotent. */
export async function pinService(client: ClusterClientV1, namespace: string, service: string, version: PinnedVersion, signal: AbortSignal): Promise<void> {
  const selector: Record<string, string | null> = {};
  for (const label of VERSION_LABELS) selector[label] = null;
  selector[version.hashLabel] = version.hash;
  const ref = { apiVersion: 'v1', kind: 'Service', namespace, name: service };
  const current = await client.get(ref, { signal });
  if (!current) throw new FerryNotFoundError(`Service ${namespace}/${service} not found (blue/green needs it)`, { code: 'service_not_found' });
  const now = (current.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {};
  const unchanged = Object.entries(selector).every(([k, v]) => (v === null ? now[k] === undefined : now[k] === v));
  if (!unchanged) await client.patch(ref, { spec: { selector } }, { signal });
}

/** The rollout whose pods a Service selects (ignoring version labels). */
export async function rolloutForService(
  client: ClusterClientV1,
  namespace: string,
  service: string,
  rollouts: DeploymentRollout[],
  manifests: KubeObject[],
  signal: AbortSignal,
): Promise<DeploymentRollout> {
  const only = rollouts.length === 1 ? rollouts[0] : undefined;
  if (only) return only;
  const found = await client.get({ apiVersion: 'v1', kind: 'Service', namespace, name: service }, { signal });
  const selector = { ...((found?.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {}) };
  for (const label of VERSION_LABELS) delete selector[label];
  const deployment = deploymentsOf(manifests, namespace).find((d) => selects(selector, podLabels(d)));
  const rollout = rollouts.find((r) => r.deployment === deployment?.metadata.name);
  if (!rollout) throw new FerryInputError(`Service ${namespace}/${service} selects none of the target's Deployments`, { code: 'service_selects_nothing' });
  return rollout;
}
