import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { startAgent, type RemoteNetworkAgent } from '@ferry/agent';
import { createTestNamespace, type TestNamespace } from '@ferry/devcluster/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubForCli, type CliTestHub } from '../test-support/hub-harness.js';
import { eventually, runFerry, spawnFerry } from '../test-support/run-ferry.js';

/**
 * `ferry agent create` against the dev cluster and a real hub, as the built binary. The dev
 * cluster's pods are simulated (no agent container really runs), so while the command waits
 * for the hub to report the agent, the test plays the Deployment's part: it starts a real
 * agent with the credentials the command stored in the Secret and a token of the
 * ServiceAccount it created.
 */
describe('ferry agent create', () => {
  let namespace: TestNamespace;
  let hub: CliTestHub;
  let dir: string;
  let env: Record<string, string>;
  let agentHubAddress: string;
  const agents: RemoteNetworkAgent[] = [];
  const identifier = `created-${Date.now().toString(36)}`;

  beforeAll(async () => {
    namespace = await createTestNamespace({ prefix: 'agent-create' });
    dir = mkdtempSync(join(tmpdir(), 'ferry-agent-create-'));
    hub = await startHubForCli({});
    agentHubAddress = (hub.hub as { agentHubAddress?: string }).agentHubAddress as string;
    await hub.repositories.tenants.ensure('default');
    await hub.repositories.roles.put({ tenant: 'default', name: 'cli-admin', grants: [{ type: 'api', resource: 'organization', permission: 'full' }] });
    await hub.repositories.roles.put({ tenant: 'default', name: 'agent', grants: [{ type: 'api', resource: 'agentHub', permission: 'full' }] });
    const made = await hub.repositories.credentials.create({ tenant: 'default', name: 'cli-agent-create', roles: ['cli-admin'] });
    env = {
      HOME: dir,
      FERRY_HUB_URL: hub.url,
      FERRY_CA_FILE: hub.hub.caFile as string,
      FERRY_CLIENT_ID: made.credential.clientId,
      FERRY_CLIENT_SECRET: made.clientSecret,
      FERRY_CREDENTIALS_FILE: join(dir, 'credentials.json'),
    };
  });

  afterAll(async () => {
    for (const agent of agents) await agent.drain().catch(() => undefined);
    const rbac = namespace?.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await rbac?.deleteClusterRoleBinding({ name: `ferry-agent-${namespace.name}` }).catch(() => undefined);
    await rbac?.deleteClusterRole({ name: `ferry-agent-${namespace.name}` }).catch(() => undefined);
    await hub?.close();
    await namespace?.delete();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const args = () => ['agent', 'create', '--identifier', identifier, '--namespace', namespace.name, '--kubeconfig', namespace.kubeconfigPath, '--hub-address', agentHubAddress];

  it('prints the manifests on --dry-run and applies nothing', async () => {
    const run = await runFerry([...args(), '--dry-run'], { cwd: dir, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('kind: ClusterRoleBinding');
    expect(run.stdout).toContain(`FERRY_AGENT_IDENTIFIER`);
    expect(run.stdout).toContain(`value: ${agentHubAddress}`);
    const secrets = await namespace.core.listNamespacedSecret({ namespace: namespace.name });
    expect(secrets.items.map((s) => s.metadata?.name)).not.toContain('ferry-agent');
  });

  it('applies the agent, waits for its Deployment and for the hub to report it connected', async () => {
    const running = spawnFerry([...args(), '-o', 'json'], { cwd: dir, env });

    // The Secret carries the new credential; the ServiceAccount gets a token from the controller.
    const secret = await eventually('the agent Secret', async () => (await namespace.core.readNamespacedSecret({ name: 'ferry-agent', namespace: namespace.name }).catch(() => undefined)));
    const clientId = Buffer.from(secret.data!.clientId!, 'base64').toString();
    const clientSecret = Buffer.from(secret.data!.clientSecret!, 'base64').toString();
    expect(clientId).toMatch(/^ferry-[0-9a-f]{24}$/);
    const tokenSecretName = await eventually('the ServiceAccount token', async () => (await namespace.core.readNamespacedServiceAccount({ name: 'ferry-agent', namespace: namespace.name })).secrets?.[0]?.name);
    const tokenSecret = await namespace.core.readNamespacedSecret({ name: tokenSecretName, namespace: namespace.name });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'a', server: namespace.cluster.server, caData: tokenSecret.data!['ca.crt']!, skipTLSVerify: false }],
      users: [{ name: 'ferry-agent', token: Buffer.from(tokenSecret.data!.token!, 'base64').toString() }],
      contexts: [{ name: 'a', cluster: 'a', user: 'ferry-agent' }],
      currentContext: 'a',
    });
    const agentKubeconfig = join(dir, 'agent-kubeconfig');
    writeFileSync(agentKubeconfig, kubeConfig.exportConfig(), { mode: 0o600 });

    // Not connected yet: the command is still waiting.
    expect(running.child.exitCode).toBeNull();
    const agent = await startAgent({
      identifier,
      hub: { address: agentHubAddress, caPem: hub.hub.caCertPem as string },
      auth: { issuer: hub.hub.issuer, clientId, clientSecret },
      kube: { kubeconfigPath: agentKubeconfig },
      healthPort: 0,
      reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    });
    agents.push(agent);

    const run = await running.exited;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as { identifier: string; namespace: string; clientId: string; applied: Array<{ kind: string; name: string }> };
    expect(output).toMatchObject({ identifier, namespace: namespace.name, clientId });
    expect(output.applied.map((a) => a.kind)).toEqual(['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Secret', 'Deployment']);

    // What is in the cluster, applied server-side by the install's field manager.
    const deployment = await namespace.kubeConfig.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'ferry-agent', namespace: namespace.name });
    expect(deployment.spec?.replicas).toBe(2);
    expect(deployment.status?.readyReplicas).toBe(2);
    expect(deployment.metadata?.managedFields?.some((f) => f.manager === 'ferry-agent-install' && f.operation === 'Apply')).toBe(true);
    const container = deployment.spec?.template.spec?.containers[0];
    expect(container?.readinessProbe?.httpGet?.path).toBe('/health/liveness');
    expect(container?.livenessProbe?.httpGet?.path).toBe('/health/liveness');
    expect(container?.env?.find((e) => e.name === 'FERRY_AGENT_IDENTIFIER')?.value).toBe(identifier);
    expect(container?.env?.find((e) => e.name === 'FERRY_ISSUER')?.value).toBe(hub.hub.issuer);
    expect(deployment.spec?.template.spec?.serviceAccountName).toBe('ferry-agent');
    const rbac = namespace.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    const role = await rbac.readClusterRole({ name: `ferry-agent-${namespace.name}` });
    expect(role.rules?.[0]?.apiGroups).toContain('apps');
    const binding = await rbac.readClusterRoleBinding({ name: `ferry-agent-${namespace.name}` });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'ferry-agent', namespace: namespace.name }]);

    // The hub lists it, as `ferry agents list` shows.
    const list = await runFerry(['agents', 'list', '-o', 'json'], { cwd: dir, env });
    expect((JSON.parse(list.stdout) as { agents: Array<{ identifier: string }> }).agents.map((a) => a.identifier)).toContain(identifier);
  });
});
