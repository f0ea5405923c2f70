import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type RemoteNetworkAgent } from '@ferry/agent';
import type { TestNamespace } from '@ferry/devcluster/vitest';
import type { ConsoleHub } from './console-hub.js';

export interface ClusterAgent {
  readonly agent: RemoteNetworkAgent;
  stop(): Promise<void>;
}

/**
 * A real Remote Network Agent connected to the hub's Agent Hub: it signs in with a
 * credential holding the agentHub grant (client credentials at the hub's token endpoint)
 * and reaches the dev cluster with a ServiceAccount token of the test namespace.
 */
export async function startClusterAgent(hub: ConsoleHub, ns: TestNamespace, identifier: string): Promise<ClusterAgent> {
  const address = hub.hub.agentHubAddress;
  if (!address) throw new Error('the hub has no Agent Hub (start it with TLS)');
  const role = `agent-${randomBytes(3).toString('hex')}`;
  await hub.hub.repositories.roles.put({ tenant: 'default', name: role, grants: [{ type: 'api', resource: 'agentHub', permission: 'full' }] });
  const { credential, clientSecret } = await hub.hub.repositories.credentials.create({ tenant: 'default', name: identifier, roles: [role] });

  const dir = await mkdtemp(join(tmpdir(), 'ferry-console-agent-'));
  try {
    const kubeconfigPath = join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, JSON.stringify(await serviceAccountKubeconfig(ns, 'ferry-agent')), { mode: 0o600 });
    const agent = await startAgent({
      identifier,
      hub: { address, ...(hub.hub.caCertPem ? { caPem: hub.hub.caCertPem } : {}) },
      auth: { tokenUrl: `${hub.url}/oidc/token`, clientId: credential.clientId, clientSecret },
      kube: { kubeconfigPath },
      healthPort: 0,
      reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    });
    const stop = async () => {
      await agent.stop();
      await rm(dir, { recursive: true, force: true });
    };
    await agent.connected(30_000).catch(async (error: unknown) => {
      await stop();
      throw error;
    });
    return { agent, stop };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A kubeconfig (JSON is YAML) that authenticates as a new ServiceAccount of the namespace, with its token. */
async function serviceAccountKubeconfig(ns: TestNamespace, name: string): Promise<unknown> {
  await ns.core.createNamespacedServiceAccount({ namespace: ns.name, body: { metadata: { name } } });
  // The token controller writes the ServiceAccount's token Secret (Kubernetes 1.20 style).
  const deadline = Date.now() + 60_000;
  let secretName = '';
  while (!secretName) {
    secretName = (await ns.core.readNamespacedServiceAccount({ name, namespace: ns.name })).secrets?.[0]?.name ?? '';
    if (secretName) break;
    if (Date.now() > deadline) throw new Error(`the ServiceAccount ${name} got no token within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const data = (await ns.core.readNamespacedSecret({ name: secretName, namespace: ns.name })).data ?? {};
  if (!data.token || !data['ca.crt']) throw new Error(`the token Secret ${secretName} has no token or ca.crt`);
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'dev', cluster: { server: ns.cluster.server, 'certificate-authority-data': data['ca.crt'] } }],
    users: [{ name, user: { token: Buffer.from(data.token, 'base64').toString() } }],
    contexts: [{ name: 'dev', context: { cluster: 'dev', user: name, namespace: ns.name } }],
    'current-context': 'dev',
  };
}
