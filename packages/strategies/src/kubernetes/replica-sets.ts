import type { ClusterClientV1, KubeObject, ObjectRef } from '@ferry/core';
import { DEPLOYMENT_LABEL, HASH_LABEL, KUBE_HASH_LABEL } from './labels.js';

export function replicaSetRef(namespace: string, name: string): ObjectRef {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace, name };
}

export function deploymentRef(namespace: string, name: string): ObjectRef {
  return { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name };
}

export function specReplicas(object: KubeObject): number {
  const replicas = (object.spec as { replicas?: number } | undefined)?.replicas;
  return typeof replicas === 'number' ? replicas : 1;
}

export function readyReplicas(object: KubeObject): number {
  return (object.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
}

/** Whether the controller has seen the latest spec and every desired replica is ready. */
export function isReady(object: KubeObject, desired: number): boolean {
  const status = (object.status ?? {}) as { observedGeneration?: number };
  const generation = object.metadata.generation as number | undefined;
  if (generation !== undefined && (status.observedGeneration ?? 0) < generation) return false;
  return readyReplicas(object) >= desired;
}

/** The label that carries a ReplicaSet's version hash: Ferry's, or Kubernetes' for an adopted one. */
export function versionOf(rs: KubeObject): { hash: string; hashLabel: string } | null {
  const labels = rs.metadata.labels ?? {};
  for (const hashLabel of [HASH_LABEL, KUBE_HASH_LABEL]) {
    const hash = labels[hashLabel];
    if (hash) return { hash, hashLabel };
  }
  return null;
}

/** Every ReplicaSet Ferry knows as a version of this Deployment (managed or adopted). */
export function listVersions(client: ClusterClientV1, namespace: string, deploymentName: string, signal: AbortSignal): Promise<KubeObject[]> {
  return client.list({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace, labelSelector: `${DEPLOYMENT_LABEL}=${deploymentName}` }, { signal });
}

/** ReplicaSets whose controller is the given Deployment object (as made by kubectl apply). */
export async function listOwnedBy(client: ClusterClientV1, deployment: KubeObject, signal: AbortSignal): Promise<KubeObject[]> {
  const namespace = deployment.metadata.namespace;
  const all = await client.list({ apiVersion: 'apps/v1', kind: 'ReplicaSet', ...(namespace ? { namespace } : {}) }, { signal });
  return all.filter((rs) => ownerDeploymentUid(rs) === deployment.metadata.uid);
}

export function ownerDeploymentUid(rs: KubeObject): string | undefined {
  const owners = (rs.metadata.ownerReferences ?? []) as Array<{ kind?: string; uid?: string; controller?: boolean }>;
  return owners.find((o) => o.kind === 'Deployment' && o.controller !== false)?.uid;
}

/** The running version to prefer as stable: the most replicas, then the newest. */
export function pickStable(candidates: KubeObject[]): KubeObject | undefined {
  return candidates
    .filter((rs) => specReplicas(rs) > 0 && versionOf(rs) !== null)
    .sort((a, b) => specReplicas(b) - specReplicas(a) || created(b).localeCompare(created(a)))[0];
}

function created(rs: KubeObject): string {
  return String(rs.metadata.creationTimestamp ?? '');
}

/** "Scale to N": a merge patch, skipped when already at N. Returns false when the ReplicaSet is gone. */
export async function scaleReplicaSet(client: ClusterClientV1, namespace: string, name: string, replicas: number, signal: AbortSignal): Promise<boolean> {
  const ref = replicaSetRef(namespace, name);
  const current = await client.get(ref, { signal });
  if (!current) return false;
  if (specReplicas(current) !== replicas) await client.patch(ref, { spec: { replicas } }, { signal });
  return true;
}

/** Scaled to zero first (pods stop before the object goes), then deleted. Idempotent. */
export async function removeReplicaSet(client: ClusterClientV1, namespace: string, name: string, signal: AbortSignal): Promise<void> {
  if (await scaleReplicaSet(client, namespace, name, 0, signal)) {
    await client.delete(replicaSetRef(namespace, name), { signal, propagationPolicy: 'Background' });
  }
}
