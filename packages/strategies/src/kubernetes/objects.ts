/** Small facts about manifest objects. */
import { isClusterScoped, type KubeObject } from '@ferry/core';

export function isDeployment(object: KubeObject): boolean {
  return object.kind === 'Deployment' && object.apiVersion.startsWith('apps/');
}

/** The object with the target's namespace, which overrides whatever the manifest says. */
export function inNamespace(object: KubeObject, namespace: string): KubeObject {
  if (isClusterScoped(object)) return object;
  return { ...object, metadata: { ...object.metadata, namespace } };
}
