import { type ContainerSpec, type Pod } from './kube-types.js';

/**
 * The environment a kubelet would give a container: the image's own env, then the pod spec's
 * `env` (literal values and the common fieldRef sources), plus HOSTNAME = pod name.
 */
export function containerEnv(
  pod: Pod,
  container: ContainerSpec,
  imageEnv: Readonly<Record<string, string>>,
  podIP: string,
  hostIP: string,
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOSTNAME: pod.metadata.name,
    ...imageEnv,
  };
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = expand(variable.value, env);
    const field = variable.valueFrom?.fieldRef?.fieldPath;
    if (field !== undefined) {
      const value = fieldValue(pod, field, podIP, hostIP);
      if (value !== undefined) env[variable.name] = value;
    }
  }
  return env;
}

function fieldValue(pod: Pod, fieldPath: string, podIP: string, hostIP: string): string | undefined {
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace ?? 'default';
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'spec.nodeName':
      return pod.spec.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName;
    case 'status.podIP':
      return podIP;
    case 'status.hostIP':
      return hostIP;
  }
  const match = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (match) return (match[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[match[2] ?? ''];
  return undefined;
}

/** `$(VAR)` references to earlier variables, as Kubernetes expands them. */
function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);
}
