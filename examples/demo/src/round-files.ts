import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `POST /api/v1/deployments` takes: the file's text and the manifests it names, by path. */
export interface DeploymentRequest {
  deployFile: string;
  manifests: Record<string, string>;
  context: Record<string, string>;
}

/**
 * The demo's deployment file and the sample app's manifests at one image tag. A user's own
 * cluster gets the same file with its account and namespace.
 */
export function roundRequest(options: { root: string; version: string; round: number; account: string; namespace: string }): DeploymentRequest {
  const sampleApp = join(options.root, 'examples', 'sample-app', 'deploy');
  const deployment = readFileSync(join(sampleApp, 'deployment.yaml'), 'utf8')
    .replace(/image: ferry\/sample-app:\S+/, `image: ferry/sample-app:${options.version}`)
    .replace(/replicas: \d+/, 'replicas: 4');
  const service = readFileSync(join(sampleApp, 'service.yaml'), 'utf8');
  const deployFile = readFileSync(join(options.root, 'examples', 'demo', 'deploy.yml'), 'utf8')
    .replace(/account: demo-cluster/, `account: ${options.account}`)
    .replace(/namespace: ferry-demo/, `namespace: ${options.namespace}`);
  return {
    deployFile,
    manifests: { 'manifests/deployment.yaml': deployment, 'manifests/service.yaml': service },
    context: { round: String(options.round), version: options.version },
  };
}
