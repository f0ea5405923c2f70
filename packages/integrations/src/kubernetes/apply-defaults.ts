import type { KubeObject } from '@ferry/core';

/** Kinds whose `spec.template` is a pod template. */
const POD_TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

type Port = Record<string, unknown>;

/**
 * Fills in `protocol: TCP` on Service ports and container ports before a server-side apply.
 * TCP is the API server's own default, so this never changes what runs; but older API
 * servers (1.20 among them) reject an apply whose port list omits `protocol`, because it is
 * part of that list's merge key ("associative list with keys has an element that omits key
 * field 'protocol'"). Manifests written for `kubectl apply` routinely leave it out.
 */
export function withPortProtocols(object: KubeObject): KubeObject {
  if (object.kind === 'Service') {
    const spec = object.spec as { ports?: Port[] } | undefined;
    if (!spec?.ports) return object;
    return { ...object, spec: { ...spec, ports: spec.ports.map(withTcp) } };
  }
  if (object.kind === 'Pod') {
    const spec = object.spec as PodSpec | undefined;
    return spec ? { ...object, spec: podSpecWithTcp(spec) } : object;
  }
  if (object.kind === 'CronJob') {
    const spec = object.spec as { jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } | undefined;
    const podSpec = spec?.jobTemplate?.spec?.template?.spec;
    if (!spec?.jobTemplate?.spec?.template || !podSpec) return object;
    const template = { ...spec.jobTemplate.spec.template, spec: podSpecWithTcp(podSpec) };
    return { ...object, spec: { ...spec, jobTemplate: { ...spec.jobTemplate, spec: { ...spec.jobTemplate.spec, template } } } };
  }
  if (POD_TEMPLATE_KINDS.has(object.kind)) {
    const spec = object.spec as { template?: { spec?: PodSpec } } | undefined;
    if (!spec?.template?.spec) return object;
    return { ...object, spec: { ...spec, template: { ...spec.template, spec: podSpecWithTcp(spec.template.spec) } } };
  }
  return object;
}

interface PodSpec {
  containers?: Array<{ ports?: Port[] }>;
  initContainers?: Array<{ ports?: Port[] }>;
  [key: string]: unknown;
}

function podSpecWithTcp(spec: PodSpec): PodSpec {
  const fix = (containers: Array<{ ports?: Port[] }> | undefined) =>
    containers?.map((c) => (c.ports ? { ...c, ports: c.ports.map(withTcp) } : c));
  return {
    ...spec,
    ...(spec.containers ? { containers: fix(spec.containers) } : {}),
    ...(spec.initContainers ? { initContainers: fix(spec.initContainers) } : {}),
  };
}

function withTcp(port: Port): Port {
  return port.protocol === undefined ? { ...port, protocol: 'TCP' } : port;
}
