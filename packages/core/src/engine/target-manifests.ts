import type { KubeObject, ResolvedManifest } from '../config/types.js';

/** Kinds that live outside namespaces: the target's namespace is not stamped on them. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'Node',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'VolumeSnapshotClass',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'PodSecurityPolicy',
]);

/** Whether objects of this kind live outside namespaces. */
export function isClusterScopedKind(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

export function isClusterScoped(object: KubeObject): boolean {
  return isClusterScopedKind(object.kind);
}

/** The objects meant for a target, with the target's namespace on every namespaced one. */
export function manifestsForTarget(manifests: ResolvedManifest[], target: string, namespace: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const manifest of manifests) {
    if (manifest.targets && !manifest.targets.includes(target)) continue;
    for (const object of manifest.objects) {
      const copy = structuredClone(object);
      if (!isClusterScoped(copy)) copy.metadata.namespace = namespace;
      objects.push(copy);
    }
  }
  return objects;
}

/** CRDs first (custom resources need them), then Namespaces, then the rest in file order. */
export function applyOrder(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject): number => (o.kind === 'CustomResourceDefinition' ? 0 : o.kind === 'Namespace' ? 1 : 2);
  return objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map(({ o }) => o);
}
