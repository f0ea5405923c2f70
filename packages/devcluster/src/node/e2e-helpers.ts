/**
 * Helpers for the node/Prometheus/traffic e2e tests (test-only: nothing in dist imports this).
 * Manifests come from examples/sample-app/deploy, the same files the demo applies.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { kubectl } from '../cluster/kubectl.js';
import { KubeHttp } from './kube-http.js';
import { type KubeList, type Pod } from './kube-types.js';

const sampleAppDeployDir = join(dirname(createRequire(import.meta.url).resolve('@ferry/sample-app/package.json')), 'deploy');

export interface SampleAppVariant {
  name: string;
  image: string;
  replicas: number;
  /** Extra labels on the Deployment's selector and pods (the Service still selects app=sample-app). */
  labels?: Record<string, string>;
}

/** deploy/deployment.yaml with its name, image, replica count and labels changed. */
export function sampleAppDeployment(variant: SampleAppVariant): string {
  const extra = Object.entries(variant.labels ?? {});
  const indent = (n: number) => extra.map(([k, v]) => `${' '.repeat(n)}${k}: ${v}\n`).join('');
  return readFileSync(join(sampleAppDeployDir, 'deployment.yaml'), 'utf8')
    .replace(/^ {2}name: sample-app$/m, `  name: ${variant.name}`)
    .replace('image: ferry/sample-app:v1', `image: ${variant.image}`)
    .replace('replicas: 3', `replicas: ${variant.replicas}`)
    .replace('    matchLabels:\n      app: sample-app\n', `    matchLabels:\n      app: sample-app\n${indent(6)}`)
    .replace('      labels:\n        app: sample-app\n', `      labels:\n        app: sample-app\n${indent(8)}`);
}

export function sampleAppService(): string {
  return readFileSync(join(sampleAppDeployDir, 'service.yaml'), 'utf8');
}

export async function apply(kubeconfigPath: string, namespace: string, yaml: string): Promise<void> {
  await kubectl(kubeconfigPath, ['-n', namespace, 'apply', '-f', '-'], { input: yaml });
}

export async function jsonClient(kubeconfigPath: string): Promise<KubeHttp> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return KubeHttp.fromKubeConfig(kc, { maxSockets: 4 });
}

export async function listPods(http: KubeHttp, namespace: string, selector?: string): Promise<Pod[]> {
  const query = selector ? `?labelSelector=${encodeURIComponent(selector)}` : '';
  const list = await http.get<KubeList<Pod>>(`/api/v1/namespaces/${namespace}/pods${query}`);
  return list.items;
}

export function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Polls `check` until it returns a value (not undefined), at most `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/** Waits until the Deployment's ReplicaSet has `replicas` ready pods; answers the ReplicaSet's name. */
export async function waitForReadyReplicaSet(http: KubeHttp, namespace: string, deployment: string, replicas: number, timeoutMs = 120_000): Promise<string> {
  return eventually(
    `${replicas} ready replicas of ${deployment}`,
    async () => {
      const list = await http.get<KubeList<{ metadata: { name: string; ownerReferences?: { name: string }[] }; status?: { readyReplicas?: number } }>>(
        `/apis/apps/v1/namespaces/${namespace}/replicasets`,
      );
      const rs = list.items.find((r) => r.metadata.ownerReferences?.some((o) => o.name === deployment));
      return rs && (rs.status?.readyReplicas ?? 0) === replicas ? rs.metadata.name : undefined;
    },
    timeoutMs,
    500,
  );
}
