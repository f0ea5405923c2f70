/**
 * The slices of Kubernetes objects the node and traffic generator read, as plain JSON
 * (timestamps are strings, as the API and watch deliver them).
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
}

export interface HttpGetAction {
  path?: string;
  port: number | string;
  scheme?: string;
}

export interface Probe {
  httpGet?: HttpGetAction;
  tcpSocket?: { port: number | string };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string } };
}

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    nodeName?: string;
    schedulerName?: string;
    restartPolicy?: 'Always' | 'OnFailure' | 'Never';
    terminationGracePeriodSeconds?: number;
    serviceAccountName?: string;
    initContainers?: ContainerSpec[];
    containers: ContainerSpec[];
  };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: {
      name: string;
      restartCount: number;
      ready: boolean;
      state: { waiting?: { reason: string }; running?: { startedAt: string }; terminated?: { exitCode: number; reason?: string } };
      lastState: { terminated?: { exitCode: number; reason?: string } };
    }[];
  };
}

export interface KubeList<T> {
  metadata: { resourceVersion?: string };
  items: T[];
}

export function podKey(pod: { metadata: ObjectMeta }): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

export function podPath(namespace: string, name: string, sub = ''): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}${sub}`;
}

/** The Kubernetes wire format for timestamps: RFC 3339 in UTC without fractional seconds. */
export function kubeTime(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** MicroTime (Lease renewTime) wants microsecond precision. */
export function kubeMicroTime(date = new Date()): string {
  return date.toISOString().replace(/Z$/, '000Z');
}
