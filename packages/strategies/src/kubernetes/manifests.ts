import { waitForCrdsEstablished, type ClusterClientV1, type KubeObject } from '@ferry/core';
import { isDeploymentAutoscaler } from './autoscalers.js';
import { FIELD_MANAGER } from './labels.js';
import { inNamespace, isDeployment } from './objects.js';

/** The Deployments a strategy acts on, in manifest order. */
export function deploymentsOf(manifests: KubeObject[], namespace: string): KubeObject[] {
  return manifests.filter(isDeployment).map((d) => inNamespace(d, namespace));
}

/**
 * Server-side applies every manifest object except Deployments and their autoscalers (the
 * strategies handle those): CRDs first, waiting until they are Established (the custom
 * resources after them may need them), then Namespaces, then the rest in parallel. Idempotent.
 */
export async function applyOtherManifests(client: ClusterClientV1, manifests: KubeObject[], namespace: string, signal: AbortSignal): Promise<void> {
  const others = manifests.filter((o) => !isDeployment(o) && !isDeploymentAutoscaler(o, manifests)).map((o) => inNamespace(o, namespace));
  const waves = [
    others.filter((o) => o.kind === 'CustomResourceDefinition'),
    others.filter((o) => o.kind === 'Namespace'),
    others.filter((o) => o.kind !== 'CustomResourceDefinition' && o.kind !== 'Namespace'),
  ];
  for (const wave of waves) {
    await Promise.all(wave.map((o) => client.apply(o, { fieldManager: FIELD_MANAGER, force: true, signal })));
    await waitForCrdsEstablished(client, wave, { signal });
  }
}
