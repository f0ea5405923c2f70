import type { KubernetesObject } from '@kubernetes/client-node';

/** One RBAC rule of the agent's ClusterRole. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** What the agent may do on Ferry's behalf by default: the same rules as deploy/manifests/ferry-agent.yaml. */
export const DEFAULT_AGENT_RULES: PolicyRule[] = [
  {
    apiGroups: ['', 'apps', 'networking.k8s.io', 'split.smi-spec.io', 'networking.istio.io', 'gateway.networking.k8s.io'],
    resources: ['*'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  },
];

export const DEFAULT_AGENT_IMAGE = 'ferry/agent:0.1.0';

export interface AgentManifestInput {
  identifier: string;
  namespace: string;
  hubAddress: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  caPem?: string;
  image?: string;
  replicas?: number;
  rules?: PolicyRule[];
  allowedHosts?: string[];
}

/**
 * The agent's objects, following deploy/manifests/ferry-agent.yaml (a unit test keeps them in
 * step): Namespace, ServiceAccount, ClusterRole, ClusterRoleBinding, the credentials Secret and
 * a 2-replica Deployment with liveness and readiness probes. Cluster-scoped names carry the
 * namespace so two agents in one cluster do not overwrite each other's RBAC.
 */
export function agentManifests(input: AgentManifestInput): KubernetesObject[] {
  const labels = { 'app.kubernetes.io/name': 'ferry-agent', 'app.kubernetes.io/instance': input.identifier };
  const name = 'ferry-agent';
  const clusterName = `ferry-agent-${input.namespace}`;
  const ns = input.namespace;
  const hasCa = input.caPem !== undefined;
  const env: Array<Record<string, unknown>> = [
    { name: 'FERRY_AGENT_IDENTIFIER', value: input.identifier },
    { name: 'FERRY_HUB_ADDRESS', value: input.hubAddress },
    { name: 'FERRY_ISSUER', value: input.issuer },
    { name: 'FERRY_CLIENT_ID', valueFrom: { secretKeyRef: { name, key: 'clientId' } } },
    { name: 'FERRY_CLIENT_SECRET', valueFrom: { secretKeyRef: { name, key: 'clientSecret' } } },
    ...(hasCa ? [{ name: 'FERRY_HUB_CA_FILE', value: '/etc/ferry-agent/hub-ca.pem' }] : []),
    { name: 'FERRY_AGENT_CLUSTER_ACCOUNT', value: 'true' },
    { name: 'FERRY_AGENT_ALLOWED_HOSTS', value: (input.allowedHosts ?? []).join(',') },
    { name: 'FERRY_AGENT_HEALTH_HOST', value: '0.0.0.0' },
    { name: 'FERRY_AGENT_HEALTH_PORT', value: '8080' },
    { name: 'FERRY_AGENT_DRAIN_TIMEOUT_MS', value: '25000' },
  ];
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'app.kubernetes.io/name': 'ferry-agent' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns, labels } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: clusterName, labels }, rules: input.rules ?? DEFAULT_AGENT_RULES } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: clusterName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: ns, labels },
      type: 'Opaque',
      stringData: { clientId: input.clientId, clientSecret: input.clientSecret, ...(hasCa ? { 'hub-ca.pem': input.caPem } : {}) },
    } as KubernetesObject,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas: input.replicas ?? 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'ferry-agent' } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            terminationGracePeriodSeconds: 30,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            ...(hasCa ? { volumes: [{ name: 'hub-ca', secret: { secretName: name, items: [{ key: 'hub-ca.pem', path: 'hub-ca.pem' }] } }] } : {}),
            containers: [
              {
                name: 'agent',
                image: input.image ?? DEFAULT_AGENT_IMAGE,
                env,
                ports: [{ name: 'health', containerPort: 8080 }],
                livenessProbe: { httpGet: { path: '/health/liveness', port: 'health' }, periodSeconds: 10 },
                readinessProbe: { httpGet: { path: '/health/liveness', port: 'health' }, periodSeconds: 5 },
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                ...(hasCa ? { volumeMounts: [{ name: 'hub-ca', mountPath: '/etc/ferry-agent', readOnly: true }] } : {}),
              },
            ],
          },
        },
      },
    } as KubernetesObject,
  ];
}
