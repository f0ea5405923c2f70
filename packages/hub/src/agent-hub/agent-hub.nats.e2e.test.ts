import { randomBytes } from 'node:crypto';
import { CoreV1Api } from '@kubernetes/client-node';
import { FerryForbiddenError, FerryUnavailableError } from '@ferry/core';
import type { RemoteNetworkAgent } from '@ferry/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentHub, type AgentHub } from './agent-hub.js';
import { BIG_BODY, readAll, startTestAgent, startUpstream, TcpProxy, type Upstream } from './relay-harness.js';
import { AGENT_HUB_GRANT, eventually, makeTestTls, MemoryAgentRepository, MemoryTargetRepository, startTestIssuer, type TestIssuer, type TestTls } from './test-support.js';

/** NATS runs at 127.0.0.1:4222 on these machines (and in CI). */
const NATS = process.env.FERRY_NATS_URL ?? 'nats://127.0.0.1:4222';

describe('two hub replicas over NATS', () => {
  let tls: TestTls;
  let issuer: TestIssuer;
  let upstream: Upstream;
  let replica1: AgentHub;
  let replica2: AgentHub;
  let proxy: TcpProxy;
  let agent: RemoteNetworkAgent;
  // One subject namespace per run keeps parallel runs on the shared NATS apart.
  const subjectPrefix = `ferry.test.${randomBytes(6).toString('hex')}`;
  const agents = new MemoryAgentRepository();
  const targets = new MemoryTargetRepository();

  beforeAll(async () => {
    tls = makeTestTls();
    issuer = await startTestIssuer();
    issuer.addClient({ clientId: 'acme-agent', clientSecret: 'acme-agent-secret', tenant: 'acme', grants: AGENT_HUB_GRANT });
    upstream = await startUpstream();
    const options = { verifier: issuer.verifier, agents, targets, tls, heartbeatIntervalMs: 500, nats: { servers: NATS, subjectPrefix } };
    replica1 = await createAgentHub({ ...options, replicaName: 'replica-1' });
    replica2 = await createAgentHub({ ...options, replicaName: 'replica-2' });
    // A stand-in for the load balancer in front of the replicas: the first that accepts.
    proxy = await TcpProxy.start([replica1.port, replica2.port]);
    agent = await startTestAgent({ identifier: 'edge', hubPort: proxy.port, tls, issuer, clientId: 'acme-agent', clientSecret: 'acme-agent-secret', upstream });
    await agent.connected(10_000);
  });

  afterAll(async () => {
    await agent?.stop();
    await proxy?.close();
    await replica2?.close();
    await replica1?.close();
    await upstream?.close();
    await issuer?.close();
  });

  it('reaches the agent from the replica that does not hold its stream', async () => {
    expect(agent.hubReplica).toBe('replica-1');
    expect(replica2.connected()).toEqual([]);
    await eventually(() => replica2.isConnected('acme', 'edge'), 5_000, 'replica 2 to learn of the agent');
    expect(replica2.connector.handles('edge')).toBe(true);

    const response = await replica2.open('acme', 'edge', { method: 'GET', destination: { clusterPath: '/api/v1/namespaces' }, headers: [] });
    expect(JSON.parse((await readAll(response.body)).toString())).toEqual({ path: '/api/v1/namespaces', method: 'GET' });
    expect(upstream.seen.at(-1)?.authorization).toBe('Bearer service-account-token');

    const big = await replica2.open('acme', 'edge', { method: 'GET', destination: { url: `${upstream.url}/big` }, headers: [] });
    expect((await readAll(big.body)).equals(BIG_BODY)).toBe(true);
    const posted = await replica2.httpTransport('acme', 'edge').send({ method: 'POST', url: `${upstream.url}/echo`, headers: { 'content-type': 'text/plain' }, body: 'hello over nats' }, { signal: AbortSignal.timeout(5_000) });
    expect(JSON.parse(posted.body)).toMatchObject({ length: 15, contentType: 'text/plain' });

    const list = await replica2.kubeConfig('acme', 'edge').makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: 'shop' });
    expect(list.items.map((item) => item.metadata?.name)).toEqual(['settings']);
  });

  it('carries refusals and cancellations across replicas', async () => {
    const refused = await replica2.httpTransport('acme', 'edge').send({ method: 'GET', url: 'http://127.0.0.1:1/', headers: {} }, { signal: AbortSignal.timeout(5_000) }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FerryForbiddenError);
    expect((refused as FerryForbiddenError).code).toBe('destination_not_allowed');

    const before = upstream.abandoned.length;
    const endless = await replica2.open('acme', 'edge', { method: 'GET', destination: { url: `${upstream.url}/endless` }, headers: [] });
    for await (const _chunk of endless.body) break;
    await eventually(() => upstream.abandoned.length > before, 5_000, 'the upstream request to be abandoned');

    await expect(replica2.open('acme', 'nobody', { method: 'GET', destination: { clusterPath: '/' }, headers: [] })).rejects.toThrow(/not connected to any hub replica/);
    await expect(replica2.open('acme', 'nobody', { method: 'GET', destination: { clusterPath: '/' }, headers: [] })).rejects.toBeInstanceOf(FerryUnavailableError);
  });

  it('moves to the other replica when the one holding the stream goes away', async () => {
    await replica1.close();
    await eventually(() => agent.state === 'connected' && agent.hubReplica === 'replica-2', 15_000, 'the agent to reconnect to replica 2');
    expect(replica2.connected('acme').map((a) => a.instanceId)).toEqual([agent.instanceId]);
    const response = await replica2.open('acme', 'edge', { method: 'GET', destination: { clusterPath: '/after-failover' }, headers: [] });
    expect(response.status).toBe(200);
    await readAll(response.body);
  });
});
