/** Label, annotation and env var names Ferry puts on what it deploys. */

/** Ferry's own pod-template-hash label: in the managed ReplicaSet's selector and pod labels. */
export const HASH_LABEL = 'ferry.dev/pod-template-hash';
/** The same hash under the reference's name, which Istio DestinationRule subsets select on. */
export const ARMORY_HASH_LABEL = 'armory-pod-template-hash';
/** The hash label Kubernetes' own Deployment controller puts on its ReplicaSets. */
export const KUBE_HASH_LABEL = 'pod-template-hash';
/** Every label that can pin a Service to one version; a selector holds at most one of them. */
export const VERSION_LABELS = [HASH_LABEL, ARMORY_HASH_LABEL, KUBE_HASH_LABEL] as const;

/** On a ReplicaSet: the name of the Deployment it was made from (adopted ones too). */
export const DEPLOYMENT_LABEL = 'ferry.dev/deployment';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'ferry';

/** The field manager of every server-side apply Ferry makes (core's, so strategies and the apply step agree). */
export { FIELD_MANAGER } from '@ferry/core';

/** Pod-template annotations (reference names, then Ferry's) and the env vars that carry the same facts. */
export const POD_FACTS = {
  application: { annotations: ['deploy.armory.io/application', 'ferry.dev/application'], env: 'ARMORY_APPLICATION_NAME' },
  deploymentId: { annotations: ['deploy.armory.io/deployment-id', 'ferry.dev/deployment-id'], env: 'ARMORY_DEPLOYMENT_ID' },
  environment: { annotations: ['deploy.armory.io/environment', 'ferry.dev/environment'], env: 'ARMORY_ENVIRONMENT_NAME' },
  replicaSetName: { annotations: ['deploy.armory.io/replica-set-name', 'ferry.dev/replica-set-name'], env: 'ARMORY_REPLICA_SET_NAME' },
} as const;
