import type { DeploymentRecordV1, KubeObject } from '@ferry/core';
import { stringify } from 'yaml';

/** Where a redacted Kubernetes Secret value stood. */
export const REDACTED = '(redacted)';

export interface DeploymentConfigPayload {
  /** The normalized deploy file the deployment runs (inline manifests holding a Secret are shown redacted). */
  deployFile: Record<string, unknown>;
  /** The deploy file's context merged with the one given at start. */
  context: Record<string, string>;
  manifests: Array<{ source: string; targets?: string[]; objects: Array<Record<string, unknown>> }>;
}

/**
 * What a deployment was started with: the normalized deploy file, its context and the
 * resolved manifests. Kubernetes Secret objects keep their keys but never their values, in
 * the manifests and in inline manifest text alike; `{{secrets.NAME}}` placeholders are
 * names, not values, and stay as written.
 */
export function deploymentConfigPayload(record: DeploymentRecordV1): DeploymentConfigPayload {
  const file = record.spec.file;
  const manifests = file.manifests.map((manifest) => ({
    source: manifest.source,
    ...(manifest.targets ? { targets: [...manifest.targets] } : {}),
    objects: manifest.objects.map(redactSecret),
  }));
  const redactedInline = new Map(
    file.manifests.filter((m) => m.objects.some(isSecret)).map((m) => [m.source, m.objects.map((o) => stringify(redactSecret(o))).join('---\n')]),
  );
  const sources = file.config.manifests.map((source, index) => {
    const replacement = 'inline' in source ? redactedInline.get(`manifests[${index}].inline`) : undefined;
    return replacement === undefined ? source : { ...source, inline: replacement };
  });
  return {
    deployFile: { ...(file.config as unknown as Record<string, unknown>), manifests: sources },
    context: { ...record.spec.context },
    manifests,
  };
}

function isSecret(object: KubeObject): boolean {
  return object.kind === 'Secret' && object.apiVersion === 'v1';
}

/** A copy of the object; a Secret's `data` and `stringData` values replaced, their keys kept. */
function redactSecret(object: KubeObject): Record<string, unknown> {
  const copy = structuredClone(object) as unknown as Record<string, unknown>;
  if (!isSecret(object)) return copy;
  for (const field of ['data', 'stringData']) {
    const values = copy[field];
    if (values && typeof values === 'object') copy[field] = Object.fromEntries(Object.keys(values).map((key) => [key, REDACTED]));
  }
  return copy;
}
