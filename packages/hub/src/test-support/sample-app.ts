/** A deploy file for a small app on a dev cluster namespace (ready pods from the simulated node). */
export function sampleAppDeployFile(o: { context: string; namespace: string; image: string; steps: string; replicas?: number }): string {
  return `version: v1
kind: kubernetes
application: hub-sample-app
deploymentConfig:
  timeout: {duration: 120, unit: seconds}
targets:
  dev:
    account: ${o.context}
    namespace: ${o.namespace}
    strategy: rollout
strategies:
  rollout:
    canary:
      steps:
${o.steps}
manifests:
  - inline: |
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: hub-sample-app, labels: {app: hub-sample-app}}
      spec:
        replicas: ${o.replicas ?? 4}
        selector: {matchLabels: {app: hub-sample-app}}
        template:
          metadata: {labels: {app: hub-sample-app}}
          spec:
            containers:
              - name: app
                image: ${o.image}
                ports: [{name: http, containerPort: 8080, protocol: TCP}]
                readinessProbe:
                  httpGet: {path: /health/readiness, port: http}
                  periodSeconds: 1
`;
}
