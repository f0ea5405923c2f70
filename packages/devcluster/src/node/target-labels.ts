import { type Pod } from './kube-types.js';

// Annotation and label domains Ferry (and Armory-style deploy tooling) puts on pods.
const FERRY_DOMAINS = [/^(.+\.)?ferry\.dev$/, /^(.+\.)?armory\.io$/];

/**
 * Prometheus labels for a pod's scrape target: namespace, pod, container, replicaset (owning
 * ReplicaSet), pod_template_hash, app, plus every Ferry annotation/label as a sanitized name
 * (`deploy.armory.io/replica-set-name` → `deploy_armory_io_replica_set_name`).
 */
export function targetLabels(pod: Pod, container: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const { metadata } = pod;
  for (const source of [metadata.labels ?? {}, metadata.annotations ?? {}]) {
    for (const [key, value] of Object.entries(source)) {
      const slash = key.indexOf('/');
      if (slash < 0 || !FERRY_DOMAINS.some((domain) => domain.test(key.slice(0, slash)))) continue;
      labels[promLabelName(key)] = value;
    }
  }
  const replicaset = owningReplicaSet(pod);
  const app = metadata.labels?.app ?? metadata.labels?.['app.kubernetes.io/name'];
  return {
    ...labels,
    namespace: metadata.namespace ?? 'default',
    pod: metadata.name,
    container,
    ...(replicaset ? { replicaset } : {}),
    ...(metadata.labels?.['pod-template-hash'] ? { pod_template_hash: metadata.labels['pod-template-hash'] } : {}),
    ...(app ? { app } : {}),
  };
}

export function owningReplicaSet(pod: Pod): string | undefined {
  return pod.metadata.ownerReferences?.find((ref) => ref.kind === 'ReplicaSet' && ref.controller !== false)?.name;
}

export function promLabelName(key: string): string {
  const name = key.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[a-zA-Z_]/.test(name) ? name : `_${name}`;
}
