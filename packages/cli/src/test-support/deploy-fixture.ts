import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The kubeconfig's current context: the `account` of local-mode targets. */
export function currentContext(kubeconfigPath: string): string {
  return (parse(readFileSync(kubeconfigPath, 'utf8')) as { 'current-context': string })['current-context'];
}

/**
 * A canary of a two-replica app on one target: 50%, an approval, a long timed pause
 * (ended with `deploy skip`), then 100%. `withVersion` writes the image tag to roll out.
 */
export function canaryFiles(input: { account: string; namespace: string; application?: string }): Record<string, string> {
  const application = input.application ?? 'shop';
  return {
    'deploy.yml': `version: v1
kind: kubernetes
application: ${application}
targets:
  dev:
    account: ${input.account}
    namespace: ${input.namespace}
    strategy: canary
manifests:
  - path: manifests/
strategies:
  canary:
    canary:
      steps:
        - setWeight: 50
        - pause: {untilApproved: true}
        - pause: {duration: 30, unit: minutes}
`,
    'manifests/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${application}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${application}}
  template:
    metadata:
      labels: {app: ${application}}
    spec:
      containers:
        - name: ${application}
          image: example/${application}:v1
`,
    'manifests/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: ${application}
spec:
  selector: {app: ${application}}
  ports: [{port: 80, targetPort: 8080}]
`,
  };
}

/** Sets the image tag the next `deploy start` rolls out (a new version = a new pod template). */
export function withVersion(dir: string, version: string, application = 'shop'): void {
  const path = join(dir, 'manifests', 'deployment.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace(new RegExp(`image: example/${application}:\\S+`), `image: example/${application}:${version}`));
}
