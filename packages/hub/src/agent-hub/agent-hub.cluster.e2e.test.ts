import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, Watch, type V1ConfigMap } from '@kubernetes/client-node';
import { FerryForbiddenError, type ClusterClientV1, type ClusterTarget, type KubeObject } from '@ferry/core';
import { startAgent, type RemoteNetworkAgent } from '@ferry/agent';
import { createTestNamespace, type TestNamespace } from '@ferry/devcluster/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentHub, type AgentHub } from './agent-hub.js';
import { AGENT_HUB_GRANT, eventually, makeTestTls, MemoryAgentRepository, MemoryTargetRepository, startTestIssuer, type TestIssuer, type TestTls } from './test-support.js';

/**
 * The hub has no kubeconfig for the dev cluster: it reaches it only through an agent that
 * uses a real ServiceAccount token of the cluster, bound to a ClusterRole that allows
 * ConfigMaps and nothing else (so a request that succeeds proves whose credentials were used).
 */
describe('the relay against a real API server', () => {
  let ns: TestNamespace;
  let tls: TestTls;
  let issuer: TestIssuer;
  let hub: AgentHub;
  let agent: RemoteNetworkAgent;
  let dir: string;
  const targets = new MemoryTargetRepository();
  const roleName = `ferry-agent-test-${Date.now().toString(36)}`;

  async function startClusterAgent(): Promise<RemoteNetworkAgent> {
    const started = await startAgent({
      identifier: 'cluster-a',
      hub: { address: `127.0.0.1:${hub.port}`, caPem: tls.caPem },
      auth: { tokenUrl: issuer.tokenUrl, clientId: 'acme-agent', clientSecret: 'acme-agent-secret' },
      kube: { kubeconfigPath: join(dir, 'agent-kubeconfig') },
      healthPort: 0,
      reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    });
    await started.connected(15_000);
    return started;
  }

  async function cluster(): Promise<ClusterClientV1> {
    const target: ClusterTarget & { tenant: string } = { account: 'cluster-a', namespace: ns.name, tenant: 'acme' };
    return hub.connector.client(target);
  }

  beforeAll(async () => {
    ns = await createTestNamespace({ prefix: 'agent-relay' });
    dir = mkdtempSync(join(tmpdir(), 'ferry-agent-e2e-'));
    const rbac = ns.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await ns.core.createNamespacedServiceAccount({ namespace: ns.name, body: { metadata: { name: 'ferry-agent' } } });
    await rbac.createClusterRole({ body: { metadata: { name: roleName }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }] } });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: roleName },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects: [{ kind: 'ServiceAccount', name: 'ferry-agent', namespace: ns.name }],
      },
    });
    // The token controller writes the ServiceAccount's token Secret (Kubernetes 1.20 style).
    let secretName = '';
    await eventually(async () => {
      const account = await ns.core.readNamespacedServiceAccount({ name: 'ferry-agent', namespace: ns.name });
      secretName = account.secrets?.[0]?.name ?? '';
      return secretName !== '';
    }, 60_000, 'the ServiceAccount token');
    const secret = await ns.core.readNamespacedSecret({ name: secretName, namespace: ns.name });
    const token = Buffer.from(secret.data!.token!, 'base64').toString();
    const agentConfig = new KubeConfig();
    agentConfig.loadFromOptions({
      clusters: [{ name: 'a', server: ns.cluster.server, caData: secret.data!['ca.crt']!, skipTLSVerify: false }],
      users: [{ name: 'ferry-agent', token }],
      contexts: [{ name: 'a', cluster: 'a', user: 'ferry-agent' }],
      currentContext: 'a',
    });
    writeFileSync(join(dir, 'agent-kubeconfig'), agentConfig.exportConfig());

    tls = makeTestTls();
    issuer = await startTestIssuer();
    issuer.addClient({ clientId: 'acme-agent', clientSecret: 'acme-agent-secret', tenant: 'acme', grants: AGENT_HUB_GRANT });
    hub = await createAgentHub({ verifier: issuer.verifier, agents: new MemoryAgentRepository(), targets, tls, replicaName: 'replica-1', heartbeatIntervalMs: 1_000 });
    agent = await startClusterAgent();
  });

  afterAll(async () => {
    await agent?.stop();
    await hub?.close();
    await issuer?.close();
    const rbac = ns?.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await rbac?.deleteClusterRoleBinding({ name: roleName }).catch(() => undefined);
    await rbac?.deleteClusterRole({ name: roleName }).catch(() => undefined);
    await ns?.delete();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("applies, reads, lists, patches and deletes through the engine's connector, with the ServiceAccount's rights", async () => {
    expect(await targets.get('acme', 'cluster-a')).toMatchObject({ kind: 'agent', ref: 'cluster-a' });
    expect(hub.connector.handles('cluster-a')).toBe(true);
    const client = await cluster();
    const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns.name, labels: { app: 'shop' } }, data: { color: 'blue' } };
    const applied = await client.apply(object, { fieldManager: 'ferry' });
    expect(applied.metadata.uid).toEqual(expect.any(String));
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace: ns.name };
    expect((await client.patch(ref, { data: { color: 'green' } })).data).toEqual({ color: 'green' });
    expect((await client.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.name, labelSelector: 'app=shop' })).map((o) => o.metadata.name)).toEqual(['settings']);
    expect((await ns.core.readNamespacedConfigMap({ name: 'settings', namespace: ns.name })).data).toEqual({ color: 'green' });
    expect(await client.delete(ref)).toBe(true);
    expect(await client.get(ref)).toBeNull();
    // The ServiceAccount may not read Secrets: the relay used its token, not an admin's.
    await expect(client.list({ apiVersion: 'v1', kind: 'Secret', namespace: ns.name })).rejects.toBeInstanceOf(FerryForbiddenError);
  });

  it('streams a client-node watch through the relay', async () => {
    const events: Array<[string, string]> = [];
    const watch = new Watch(hub.kubeConfig('acme', 'cluster-a'));
    let ended: unknown = 'open';
    const request = await watch.watch(
      `/api/v1/namespaces/${ns.name}/configmaps`,
      {},
      (type: string, object: V1ConfigMap) => {
        if (object.metadata?.name?.startsWith('watched')) events.push([type, object.metadata.name]);
      },
      (error: unknown) => {
        ended = error ?? null;
      },
    );
    try {
      await ns.core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: 'watched' }, data: { n: '1' } } });
      await ns.core.replaceNamespacedConfigMap({ name: 'watched', namespace: ns.name, body: { metadata: { name: 'watched' }, data: { n: '2' } } });
      await ns.core.deleteNamespacedConfigMap({ name: 'watched', namespace: ns.name });
      await eventually(() => events.length >= 3, 15_000, 'three watch events');
      expect(events).toEqual([
        ['ADDED', 'watched'],
        ['MODIFIED', 'watched'],
        ['DELETED', 'watched'],
      ]);
      expect(ended).toBe('open');
    } finally {
      request.abort();
    }
  });

  it('fails an open watch when the agent dies, and serves again once it is restarted', async () => {
    const watch = new Watch(hub.kubeConfig('acme', 'cluster-a'));
    let ended = false;
    const request = await watch.watch(`/api/v1/namespaces/${ns.name}/configmaps`, {}, () => undefined, () => {
      ended = true;
    });
    try {
      await agent.stop();
      await eventually(() => ended, 10_000, 'the watch to end with the agent');
      await expect((await cluster()).list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.name })).rejects.toThrow(/not connected/);
      agent = await startClusterAgent();
      const names = (await (await cluster()).list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.name })).map((o) => o.metadata.name);
      expect(names).toEqual(expect.any(Array));
      const core = hub.kubeConfig('acme', 'cluster-a').makeApiClient(CoreV1Api);
      await core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: 'after-restart' } } });
      expect((await ns.core.readNamespacedConfigMap({ name: 'after-restart', namespace: ns.name })).metadata?.name).toBe('after-restart');
    } finally {
      request.abort();
    }
  });
});
