import { writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterClientV1 } from '@ferry/core';

const FIELD_MANAGER = 'ferry-demo';

export interface AgentCredentials {
  /** A kubeconfig holding only the ServiceAccount's token: all the agent knows of the cluster. */
  kubeconfigPath: string;
}

/**
 * A ServiceAccount for the agent, bound to the built-in `edit` ClusterRole, and its token
 * Secret. The Secret is created explicitly (Kubernetes ≥ 1.24 no longer makes one; 1.20 fills
 * an explicit one just the same), then read back once the token controller has written it.
 */
export async function agentServiceAccount(options: {
  admin: ClusterClientV1;
  adminKubeconfigPath: string | undefined;
  adminContext: string;
  namespace: string;
  name: string;
  /** The context's name in the written kubeconfig. */
  contextName: string;
  writeTo: string;
  timeoutMs?: number;
}): Promise<AgentCredentials> {
  const { admin, namespace, name } = options;
  await admin.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } }, { fieldManager: FIELD_MANAGER });
  await admin.apply(
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${name}-${namespace}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
    { fieldManager: FIELD_MANAGER },
  );
  const secretName = `${name}-token`;
  await admin.apply(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: { name: secretName, namespace, annotations: { 'kubernetes.io/service-account.name': name } },
    },
    { fieldManager: FIELD_MANAGER },
  );

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const secret = await admin.get({ apiVersion: 'v1', kind: 'Secret', name: secretName, namespace });
    const data = (secret?.data ?? {}) as Record<string, string | undefined>;
    if (data.token && data['ca.crt']) {
      writeFileSync(options.writeTo, tokenKubeconfig(options, Buffer.from(data.token, 'base64').toString('utf8'), data['ca.crt']), { mode: 0o600 });
      return { kubeconfigPath: options.writeTo };
    }
    if (Date.now() > deadline) throw new Error(`the token controller did not fill Secret ${namespace}/${secretName} in time`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The admin context's API server, with the ServiceAccount's token and the cluster's CA. */
function tokenKubeconfig(options: { adminKubeconfigPath: string | undefined; adminContext: string; name: string; contextName: string }, token: string, caData: string): string {
  const admin = new KubeConfig();
  if (options.adminKubeconfigPath) admin.loadFromFile(options.adminKubeconfigPath);
  else admin.loadFromDefault();
  admin.setCurrentContext(options.adminContext);
  const server = admin.getCurrentCluster()?.server;
  if (!server) throw new Error(`kube context "${options.adminContext}" names no cluster`);
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'cluster', server, caData, skipTLSVerify: false }],
    users: [{ name: options.name, token }],
    contexts: [{ name: options.contextName, cluster: 'cluster', user: options.name }],
    currentContext: options.contextName,
  });
  return config.exportConfig();
}
