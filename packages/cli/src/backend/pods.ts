import type { ClusterConnectorV1, KubeObject } from '@ferry/core';
import type { EnvironmentView, PodsByVersion } from './types.js';

const APPLICATION_ANNOTATIONS = ['ferry.dev/application', 'deploy.armory.io/application'];

/**
 * Ready/desired pods per version (the image tag) of the application's ReplicaSets in the
 * target's namespace: what the live view shows next to the canary weight.
 */
export async function readPods(connector: ClusterConnectorV1, environment: EnvironmentView, application: string): Promise<PodsByVersion[]> {
  if (!connector.handles(environment.account)) return [];
  const client = await connector.client({ account: environment.account, namespace: environment.namespace });
  const sets = await client.list({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: environment.namespace });
  const byVersion = new Map<string, PodsByVersion>();
  for (const rs of sets.filter((set) => belongsTo(set, application))) {
    const spec = rs.spec as { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } };
    const status = (rs.status ?? {}) as { readyReplicas?: number };
    const image = spec.template?.spec?.containers?.[0]?.image ?? '?';
    const version = image.includes(':') ? (image.split(':').pop() as string) : image;
    const entry = byVersion.get(version) ?? { version, ready: 0, desired: 0 };
    entry.ready += status.readyReplicas ?? 0;
    entry.desired += spec.replicas ?? 0;
    byVersion.set(version, entry);
  }
  return [...byVersion.values()].filter((p) => p.desired > 0 || p.ready > 0);
}

function belongsTo(rs: KubeObject, application: string): boolean {
  const template = (rs.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template;
  const annotations = { ...(rs.metadata?.annotations ?? {}), ...(template?.metadata?.annotations ?? {}) };
  return APPLICATION_ANNOTATIONS.some((key) => annotations[key] === application);
}
