import { FerryInputError, type KubeObject } from '@ferry/core';
import { ARMORY_HASH_LABEL, DEPLOYMENT_LABEL, HASH_LABEL, MANAGED_BY, MANAGED_BY_LABEL, POD_FACTS } from './labels.js';
import { podTemplateHash } from './pod-template-hash.js';

/** Who is deploying: the facts every managed pod carries as annotations and env vars. */
export interface DeploymentFacts {
  application: string;
  deploymentId: string;
  /** The target's name. */
  environment: string;
}

export interface ManagedReplicaSet {
  /** `<deployment>-<hash>`. */
  name: string;
  hash: string;
  deploymentName: string;
  namespace: string;
  /** The Deployment's `spec.replicas` (default 1): the size of the new version at 100%. */
  total: number;
  /** The ReplicaSet to apply, at the given replica count (nested parts are shared between calls: read-only). */
  object(replicas: number): KubeObject;
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: { containers?: Container[]; initContainers?: Container[]; [k: string]: unknown };
  [k: string]: unknown;
}
interface Container {
  name?: string;
  env?: Array<{ name: string; [k: string]: unknown }>;
  [k: string]: unknown;
}
interface DeploymentSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  template?: PodTemplate;
}

/**
 * The Ferry-managed ReplicaSet for a Deployment of the manifests (already in the target's
 * namespace). Its selector and pod labels add the version labels to the Deployment's; its
 * pods carry the deployment facts. The ReplicaSet's own labels are only Ferry's: were they
 * to match a Deployment's selector, a Deployment controller would adopt and scale it.
 */
export function managedReplicaSet(deployment: KubeObject, facts: DeploymentFacts): ManagedReplicaSet {
  const spec = (deployment.spec ?? {}) as DeploymentSpec;
  const where = `Deployment ${deployment.metadata.name}`;
  if (!spec.template) throw new FerryInputError(`${where} has no spec.template`, { code: 'invalid_manifest' });
  if (!spec.selector) throw new FerryInputError(`${where} has no spec.selector`, { code: 'invalid_manifest' });
  const namespace = deployment.metadata.namespace;
  if (!namespace) throw new FerryInputError(`${where} has no namespace`, { code: 'invalid_manifest' });

  const hash = podTemplateHash(spec.template);
  const deploymentName = deployment.metadata.name;
  const name = `${deploymentName}-${hash}`;
  const versionLabels = { [HASH_LABEL]: hash, [ARMORY_HASH_LABEL]: hash };
  const factValues = { ...facts, replicaSetName: name };
  const annotations: Record<string, string> = {};
  const env: Array<{ name: string; value: string }> = [];
  for (const [fact, names] of Object.entries(POD_FACTS)) {
    const value = factValues[fact as keyof typeof factValues];
    for (const a of names.annotations) annotations[a] = value;
    env.push({ name: names.env, value });
  }
  const template = withFacts(spec.template, versionLabels, annotations, env);
  const selector = {
    ...spec.selector,
    matchLabels: { ...spec.selector.matchLabels, ...versionLabels },
  };

  return {
    name,
    hash,
    deploymentName,
    namespace,
    total: spec.replicas ?? 1,
    object: (replicas) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace,
        labels: { [DEPLOYMENT_LABEL]: deploymentName, ...versionLabels, [MANAGED_BY_LABEL]: MANAGED_BY },
        annotations,
      },
      spec: {
        replicas,
        ...(spec.minReadySeconds === undefined ? {} : { minReadySeconds: spec.minReadySeconds }),
        selector,
        template,
      },
    }),
  };
}

function withFacts(
  template: PodTemplate,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  env: Array<{ name: string; value: string }>,
): PodTemplate {
  const ours = new Set(env.map((e) => e.name));
  const withEnv = (c: Container): Container => ({ ...c, env: [...(c.env ?? []).filter((e) => !ours.has(e.name)), ...env] });
  return {
    ...template,
    metadata: {
      ...template.metadata,
      labels: { ...template.metadata?.labels, ...labels },
      annotations: { ...template.metadata?.annotations, ...annotations },
    },
    spec: {
      ...template.spec,
      containers: (template.spec?.containers ?? []).map(withEnv),
      ...(template.spec?.initContainers ? { initContainers: template.spec.initContainers.map(withEnv) } : {}),
    },
  };
}
