import { parseDeployFile, type DeployFile } from '@ferry/core';

export interface DeployFileInput {
  application: string;
  image: string;
  replicas: number;
  /** The `targets:` map's body (indented two spaces). */
  targets: string;
  /** The `strategies:` map's body (indented two spaces). */
  strategies: string;
  /** The `analysis.queries:` list (indented four spaces). */
  queries?: string;
  /** The `webhooks:` list (indented two spaces). */
  webhooks?: string;
}

/** A deployment file for the sample app (Deployment + Service), as a user would write it. */
export function sampleAppFile(input: DeployFileInput): Promise<DeployFile> {
  const analysis = input.queries ? `analysis:\n  defaultMetricProviderName: prom\n  queries:\n${input.queries}\n` : '';
  const webhooks = input.webhooks ? `webhooks:\n${input.webhooks}\n` : '';
  return parseDeployFile(`version: v1
kind: kubernetes
application: ${input.application}
deploymentConfig:
  timeout: {duration: 120, unit: seconds}
targets:
${input.targets}
strategies:
${input.strategies}
${analysis}${webhooks}# protocol is spelled out: Kubernetes 1.20's server-side apply rejects ports without it.
manifests:
  - inline: |
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: sample-app, labels: {app: sample-app}}
      spec:
        replicas: ${input.replicas}
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
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: sample-app, labels: {app: sample-app}}
      spec:
        selector: {app: sample-app}
        ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
`);
}
