/** A deployment file and manifests for the sample app, as a repository would hold them. */
export function sampleAppWorkspace(input: { account: string; namespace: string; image: string }): Record<string, string> {
  return {
    'deploy.yml': `version: v1
kind: kubernetes
application: ci-sample-app
deploymentConfig:
  timeout: {duration: 120, unit: seconds}
targets:
  dev:
    account: ${input.account}
    namespace: ${input.namespace}
    strategy: canary-half
strategies:
  canary-half:
    canary:
      steps:
        - setWeight: 50
        - pause: {duration: 2, unit: seconds}
manifests:
  - path: manifests/
`,
    // protocol is spelled out: Kubernetes 1.20's server-side apply rejects ports without it.
    'manifests/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: sample-app, labels: {app: sample-app}}
spec:
  replicas: 2
  selector: {matchLabels: {app: sample-app}}
  template:
    metadata: {labels: {app: sample-app}}
    spec:
      containers:
        - name: sample-app
          image: ${input.image}
          ports: [{name: http, containerPort: 8080, protocol: TCP}]
          readinessProbe:
            httpGet: {path: /health/readiness, port: http}
            periodSeconds: 1
`,
    'manifests/service.yaml': `apiVersion: v1
kind: Service
metadata: {name: sample-app, labels: {app: sample-app}}
spec:
  selector: {app: sample-app}
  ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
`,
  };
}
