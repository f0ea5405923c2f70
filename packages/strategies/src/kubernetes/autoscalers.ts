import type { ClusterClientV1, KubeObject } from '@ferry/core';
import { FIELD_MANAGER } from './labels.js';
import { inNamespace, isDeployment } from './objects.js';

/**
 * HorizontalPodAutoscalers of the manifests that target a Deployment Ferry turns into
 * managed ReplicaSets. Such an HPA cannot target the Deployment (it is not kept, or kept at
 * zero), so Ferry retargets it at the ReplicaSet of the running version, and freezes it
 * during a rollout by removing it: an autoscaler changing replica counts mid-rollout would
 * fight the weights. It comes back, retargeted, at promotion (or at rollback, on the
 * stable version). The new version starts at the size the autoscaler had chosen for the
 * stable one, within the new autoscaler's bounds.
 */

interface ScaleTargetRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
}

function targetOf(hpa: KubeObject): ScaleTargetRef | undefined {
  return (hpa.spec as { scaleTargetRef?: ScaleTargetRef } | undefined)?.scaleTargetRef;
}

/** Whether an object is an HPA targeting one of the manifests' Deployments. */
export function isDeploymentAutoscaler(object: KubeObject, manifests: KubeObject[]): boolean {
  if (object.kind !== 'HorizontalPodAutoscaler') return false;
  const target = targetOf(object);
  return target?.kind === 'Deployment' && manifests.some((d) => isDeployment(d) && d.metadata.name === target.name);
}

/** The manifests' autoscaler of a Deployment, in the target namespace. */
export function autoscalerOf(manifests: KubeObject[], deployment: string, namespace: string): KubeObject | undefined {
  const hpa = manifests.find((o) => isDeploymentAutoscaler(o, manifests) && targetOf(o)?.name === deployment);
  return hpa && inNamespace(hpa, namespace);
}

/** The replica count within an autoscaler's bounds (minReplicas defaults to 1). */
export function withinBounds(hpa: KubeObject, replicas: number): number {
  const spec = hpa.spec as { minReplicas?: number; maxReplicas?: number };
  const min = spec.minReplicas ?? 1;
  const max = spec.maxReplicas ?? Number.POSITIVE_INFINITY;
  return Math.min(max, Math.max(min, replicas));
}

/** Freezes the Deployment's autoscaler for the rollout: the live one of that name is removed. Idempotent. */
export async function freezeAutoscaler(client: ClusterClientV1, manifests: KubeObject[], deployment: string, namespace: string, signal: AbortSignal): Promise<void> {
  const hpa = autoscalerOf(manifests, deployment, namespace);
  if (!hpa) return;
  const ref = { apiVersion: hpa.apiVersion, kind: hpa.kind, namespace, name: hpa.metadata.name };
  if (await client.get(ref, { signal })) await client.delete(ref, { signal });
}

/** Applies the Deployment's autoscaler, targeting the given managed ReplicaSet. Idempotent. */
export async function autoscaleReplicaSet(
  client: ClusterClientV1,
  manifests: KubeObject[],
  deployment: string,
  namespace: string,
  replicaSet: string,
  signal: AbortSignal,
): Promise<void> {
  const hpa = autoscalerOf(manifests, deployment, namespace);
  if (!hpa) return;
  const retargeted = { ...hpa, spec: { ...(hpa.spec as Record<string, unknown>), scaleTargetRef: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: replicaSet } } };
  await client.apply(retargeted, { fieldManager: FIELD_MANAGER, force: true, signal });
}
