/**
 * Deployment files for the sample app on a dev cluster namespace: the sample app's Deployment
 * (4 replicas, readiness probe every second) and its Service, plus whatever strategy block a test needs.
 */
export interface SampleAppFile {
  context: string;
  namespace: string;
  image: string;
  /** The YAML of the `strategies.rollout` block's body, indented by 4 spaces (e.g. `    canary:\n      steps: …`). */
  strategy: string;
  replicas?: number;
  /** deploymentConfig.timeout in seconds (60 is the minimum the file format allows). */
  timeoutSeconds?: number;
  /** Extra Services to create (e.g. a blue/green preview Service), selecting the same pods. */
  extraServices?: string[];
  /** Extra top-level YAML (e.g. `trafficManagement:`). */
  extra?: string;
}

const service = (name: string) => `      ---
      apiVersion: v1
      kind: Service
      metadata: {name: ${name}, labels: {app: sample-app}}
      spec:
        selector: {app: sample-app}
        ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
`;

export function sampleAppFile(o: SampleAppFile): string {
  // protocol is spelled out: Kubernetes 1.20's server-side apply rejects ports without it.
  return `version: v1
kind: kubernetes
application: sample-app
deploymentConfig:
  timeout: {duration: ${o.timeoutSeconds ?? 120}, unit: seconds}
targets:
  dev:
    account: ${o.context}
    namespace: ${o.namespace}
    strategy: rollout
strategies:
  rollout:
${o.strategy}
${o.extra ?? ''}
manifests:
  - inline: |
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: sample-app, labels: {app: sample-app}}
      spec:
        replicas: ${o.replicas ?? 4}
        selector: {matchLabels: {app: sample-app}}
        template:
          metadata: {labels: {app: sample-app}}
          spec:
            containers:
              - name: sample-app
                image: ${o.image}
                ports: [{name: http, containerPort: 8080, protocol: TCP}]
                readinessProbe:
                  httpGet: {path: /health/readiness, port: http}
                  periodSeconds: 1
${[service('sample-app'), ...(o.extraServices ?? []).map(service)].join('')}`;
}
