import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startAgent, type RemoteNetworkAgent } from '@ferry/agent';
import { startHub, type Grant, type RunningHub } from '@ferry/hub';
import { clientCredentialsToken, HubApi } from './hub-api.js';

const TENANT = 'default';
export const METRIC_PROVIDER = 'demo-prometheus';

export interface DemoHub {
  hub: RunningHub;
  /** The demo's REST client (a machine credential with every grant of the tenant). */
  api: HubApi;
  close(): Promise<void>;
}

export interface DemoHubOptions {
  /** Wiped and recreated: every run starts with a fresh hub. */
  dataDir: string;
  /** The agent identifier: in cluster-account mode also the target (the deploy file's `account`). */
  account: string;
  /** A kubeconfig with only the agent's ServiceAccount token. */
  agentKubeconfigPath: string;
  prometheusUrl: string;
  say: (text: string) => void;
}

/**
 * A hub on a free loopback port with its local CA, the Prometheus integration, and an agent
 * that dials its Agent Hub with a credential holding the `agentHub` grant: the hub reaches
 * the cluster only through that agent.
 */
export async function startDemoHub(options: DemoHubOptions): Promise<DemoHub> {
  rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(dirname(options.dataDir), { recursive: true });
  // The hub's JSON logs go to a file next to its data: the terminal shows the live view.
  const log = createWriteStream(join(dirname(options.dataDir), 'hub.log'), { flags: 'w' });
  // No `kubeconfig`: the hub holds no credentials for any cluster.
  const hub = await startHub({
    dataDir: options.dataDir,
    host: '127.0.0.1',
    port: 0,
    tls: { mode: 'local-ca' },
    agentHub: { enabled: true, port: 0 },
    logger: log,
  });
  let agent: RemoteNetworkAgent | undefined;
  const close = async () => {
    await agent?.stop();
    await hub.close();
    await new Promise<void>((resolve) => log.end(resolve));
  };
  try {
    const ca = hub.caCertPem;
    const admin = await machineCredential(hub, 'demo', [{ type: 'api', resource: 'organization', permission: 'full' }]);
    const api = new HubApi(hub.url, ca, await clientCredentialsToken(hub.url, ca, admin.clientId, admin.clientSecret));
    await api.json('PUT', `api/v1/integrations/prometheus/${METRIC_PROVIDER}`, { settings: { url: options.prometheusUrl } });
    options.say(`hub at ${hub.url} (local CA ${hub.caFile ?? 'none'}), Prometheus integration "${METRIC_PROVIDER}" → ${options.prometheusUrl}`);

    if (!hub.agentHub) throw new Error('the hub started without its Agent Hub');
    const agentHubPort = hub.agentHub.port;
    const credential = await machineCredential(hub, 'demo-agent', [{ type: 'api', resource: 'agentHub', permission: 'full' }]);
    agent = await startAgent({
      identifier: options.account,
      // The local CA's certificate names localhost too: TLS checks a name, not an IP address.
      hub: { address: `127.0.0.1:${agentHubPort}`, serverName: 'localhost', ...(ca ? { caPem: ca } : {}) },
      auth: { tokenUrl: `${hub.url}/oidc/token`, clientId: credential.clientId, clientSecret: credential.clientSecret },
      clusterAccount: true,
      kube: { kubeconfigPath: options.agentKubeconfigPath },
      healthPort: 0,
      reconnect: { initialDelayMs: 200, maxDelayMs: 2_000 },
      drainTimeoutMs: 2_000,
    });
    await agent.connected(30_000);
    await registeredTarget(hub, options.account);
    options.say(`agent "${options.account}" connected to the Agent Hub at 127.0.0.1:${agentHubPort}: the cluster is reached only through it`);
    return { hub, api, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A credential of the tenant with a role of these grants, made straight in the hub's database. */
async function machineCredential(hub: RunningHub, name: string, grants: Grant[]): Promise<{ clientId: string; clientSecret: string }> {
  await hub.repositories.tenants.ensure(TENANT);
  await hub.repositories.roles.put({ tenant: TENANT, name, grants });
  const { credential, clientSecret } = await hub.repositories.credentials.create({ tenant: TENANT, name, roles: [name] });
  return { clientId: credential.clientId, clientSecret };
}

/** In cluster-account mode the hub records the agent as a target once it registers. */
async function registeredTarget(hub: RunningHub, account: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await hub.repositories.targets.get(TENANT, account))?.kind !== 'agent') {
    if (Date.now() > deadline) throw new Error(`the hub registered no target "${account}" for the agent within ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
