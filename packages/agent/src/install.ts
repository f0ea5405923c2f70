import { AppsV1Api, dumpYaml, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { FerryInputError, FerryUnavailableError } from '@ferry/core';
import { agentManifests, type PolicyRule } from './install-manifests.js';

/** The field manager of `ferry agent create`'s server-side applies. */
export const INSTALL_FIELD_MANAGER = 'ferry-agent-install';

export interface InstallAgentOptions {
  identifier: string;
  /** The Agent Hub's gRPC address as the cluster reaches it (`host:port`). */
  hubAddress: string;
  /** The hub's OIDC issuer (`https://hub/oidc`); the agent gets its token there. */
  issuer?: string;
  clientId: string;
  clientSecret: string;
  namespace: string;
  kubeconfigPath?: string;
  context?: string;
  /** The hub's CA (PEM), stored in the Secret and mounted for the agent. */
  caPem?: string;
  /** Print what would be applied; touch nothing. */
  dryRun: boolean;
  image?: string;
  /** The ClusterRole's rules (default: DEFAULT_AGENT_RULES). */
  rules?: PolicyRule[];
  allowedHosts?: string[];
  /** How long to wait for the Deployment to become ready (default 120 s). */
  readyTimeoutMs?: number;
  /** Asked until true (e.g. the hub's `GET /api/v1/agents` lists the identifier). */
  waitForConnection?: { isConnected(): Promise<boolean>; timeoutMs?: number; intervalMs?: number };
}

export interface InstallAgentResult {
  applied: Array<{ kind: string; name: string; namespace?: string }>;
  /** The manifests as YAML, the client secret masked (dry runs print it). */
  manifests?: string;
  connected?: boolean;
}

/**
 * Installs a Remote Network Agent into a cluster with server-side apply (re-running it updates
 * in place), waits for its Deployment to be ready and, when asked, for the hub to see it.
 */
export async function installAgent(options: InstallAgentOptions): Promise<InstallAgentResult> {
  if (!options.issuer) throw new FerryInputError('installAgent: issuer is required (the hub\'s OIDC issuer, e.g. https://hub.example/oidc)', { code: 'invalid_options' });
  const objects = agentManifests({
    identifier: options.identifier,
    namespace: options.namespace,
    hubAddress: options.hubAddress,
    issuer: options.issuer,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    ...(options.caPem !== undefined ? { caPem: options.caPem } : {}),
    ...(options.image ? { image: options.image } : {}),
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
  });
  const applied = objects.map((o) => ({ kind: o.kind as string, name: o.metadata?.name as string, ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}) }));
  const manifests = objects.map((o) => dumpYaml(maskSecret(o))).join('---\n');
  if (options.dryRun) return { applied, manifests };

  const kubeConfig = new KubeConfig();
  if (options.kubeconfigPath) kubeConfig.loadFromFile(options.kubeconfigPath);
  else kubeConfig.loadFromDefault();
  if (options.context) kubeConfig.setCurrentContext(options.context);
  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  for (const object of objects) {
    await api.patch(object, undefined, undefined, INSTALL_FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  }
  await waitUntil(() => deploymentReady(kubeConfig, options.namespace), options.readyTimeoutMs ?? 120_000, 500, `the ferry-agent Deployment in namespace "${options.namespace}" to become ready`);
  if (!options.waitForConnection) return { applied, manifests };
  const wait = options.waitForConnection;
  await waitUntil(() => wait.isConnected(), wait.timeoutMs ?? 120_000, wait.intervalMs ?? 1_000, `agent "${options.identifier}" to connect to the hub`);
  return { applied, manifests, connected: true };
}

function maskSecret(object: KubernetesObject): KubernetesObject {
  if (object.kind !== 'Secret') return object;
  const data = { ...((object as { stringData?: Record<string, string> }).stringData ?? {}) };
  if (data.clientSecret) data.clientSecret = '<client secret: shown once by the hub>';
  return { ...object, stringData: data } as KubernetesObject;
}

async function deploymentReady(kubeConfig: KubeConfig, namespace: string): Promise<boolean> {
  const deployment = await kubeConfig.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'ferry-agent', namespace });
  const wanted = deployment.spec?.replicas ?? 1;
  const status = deployment.status;
  return (status?.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0) && (status?.updatedReplicas ?? 0) >= wanted && (status?.readyReplicas ?? 0) >= wanted;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new FerryUnavailableError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${detail}`, { code: 'install_timeout' });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
