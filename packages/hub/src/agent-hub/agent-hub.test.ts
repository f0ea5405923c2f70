import { createServer, type AddressInfo } from 'node:net';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { CoreV1Api } from '@kubernetes/client-node';
import { FerryForbiddenError, FerryNotFoundError, FerryUnavailableError } from '@ferry/core';
import type { RemoteNetworkAgent } from '@ferry/agent';
import { agentHubProto, type AgentMessage, type HubMessage__Output } from '@ferry/proto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAgentHub, type AgentHub } from './agent-hub.js';
import { BIG_BODY, rawConnect, readAll, startTestAgent, startUpstream, TcpProxy, type Upstream } from './relay-harness.js';
import {
  AGENT_HUB_GRANT,
  eventually,
  makeTestTls,
  MemoryAgentRepository,
  MemoryTargetRepository,
  startTestIssuer,
  type TestIssuer,
  type TestTls,
} from './test-support.js';

describe('Agent Hub and Remote Network Agent over loopback', () => {
  let tls: TestTls;
  let issuer: TestIssuer;
  let upstream: Upstream;
  let hub: AgentHub;
  const agents = new MemoryAgentRepository();
  const targets = new MemoryTargetRepository();
  const running: RemoteNetworkAgent[] = [];

  async function agent(identifier = 'edge', clientId = 'acme-agent', extra: { hubPort?: number } = {}): Promise<RemoteNetworkAgent> {
    const started = await startTestAgent({ identifier, hubPort: extra.hubPort ?? hub.port, tls, issuer, clientId, clientSecret: `${clientId}-secret`, upstream });
    running.push(started);
    await started.connected(10_000);
    return started;
  }

  beforeAll(async () => {
    tls = makeTestTls();
    issuer = await startTestIssuer();
    issuer.addClient({ clientId: 'acme-agent', clientSecret: 'acme-agent-secret', tenant: 'acme', grants: AGENT_HUB_GRANT });
    issuer.addClient({ clientId: 'globex-agent', clientSecret: 'globex-agent-secret', tenant: 'globex', grants: AGENT_HUB_GRANT });
    issuer.addClient({ clientId: 'short-lived', clientSecret: 'short-lived-secret', tenant: 'acme', grants: AGENT_HUB_GRANT, ttlSeconds: 3 });
    upstream = await startUpstream();
    hub = await createAgentHub({ verifier: issuer.verifier, agents, targets, tls, replicaName: 'replica-1', heartbeatIntervalMs: 500 });
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((a) => a.stop()));
    await eventually(() => hub.connected().length === 0, 10_000, 'agents to disconnect');
  });

  afterAll(async () => {
    await hub.close();
    await upstream.close();
    await issuer.close();
  });

  it('registers the agent: registry row, cluster-account target, and the listing', async () => {
    const edge = await agent();
    const [listed] = hub.connected('acme');
    expect(listed).toMatchObject({ tenant: 'acme', identifier: 'edge', instanceId: edge.instanceId, version: '0.1.0', clusterAccount: true, clusterRole: true });
    expect(listed!.address).toMatch(/127\.0\.0\.1/);
    const [row] = await agents.list('acme');
    expect(row).toMatchObject({ identifier: 'edge', instanceId: edge.instanceId, hubReplica: 'replica-1' });
    expect(await targets.get('acme', 'edge')).toMatchObject({ kind: 'agent', ref: 'edge' });
    expect(hub.connector.handles('edge')).toBe(true);
    expect(hub.isConnected('acme', 'edge')).toBe(true);
    expect(hub.isConnected('globex', 'edge')).toBe(false);
    await targets.put({ name: 'offline-cluster', tenant: 'acme', kind: 'agent', ref: 'offline' });
    expect(hub.connector.handles('offline-cluster')).toBe(false);
    await hub.rememberAgentTargets('acme');
    expect(hub.connector.handles('offline-cluster')).toBe(true);
    const offline = await (await hub.connector.client({ account: 'offline-cluster', namespace: 'default', tenant: 'acme' } as never)).list({ apiVersion: 'v1', kind: 'ConfigMap' }).catch((e: unknown) => e);
    expect(offline).toBeInstanceOf(FerryUnavailableError);
    expect((offline as Error).message).toContain('"offline" is not connected');
  });

  it("relays cluster API requests with the agent's own credentials, never the caller's", async () => {
    await agent();
    const response = await hub.open('acme', 'edge', { method: 'GET', destination: { clusterPath: '/api/v1/namespaces?limit=1' }, headers: [['authorization', 'Bearer from-the-hub']] });
    expect(response.status).toBe(200);
    expect(JSON.parse((await readAll(response.body)).toString())).toEqual({ path: '/api/v1/namespaces?limit=1', method: 'GET' });
    expect(upstream.seen.at(-1)).toMatchObject({ url: '/api/v1/namespaces?limit=1', authorization: 'Bearer service-account-token' });
  });

  it('lets @kubernetes/client-node talk to the cluster through the relay unchanged', async () => {
    await agent();
    const core = hub.kubeConfig('acme', 'edge').makeApiClient(CoreV1Api);
    const list = await core.listNamespacedConfigMap({ namespace: 'shop', labelSelector: 'app=web' });
    expect(list.items.map((item) => [item.metadata?.name, item.data?.color])).toEqual([['settings', 'blue']]);
    expect(upstream.seen.at(-1)).toMatchObject({ url: '/api/v1/namespaces/shop/configmaps?labelSelector=app%3Dweb', authorization: 'Bearer service-account-token' });
  });

  it('carries 1 MiB bodies both ways intact and 64 concurrent requests', async () => {
    await agent();
    const transport = hub.httpTransport('acme', 'edge');
    const big = await hub.open('acme', 'edge', { method: 'GET', destination: { url: `${upstream.url}/big` }, headers: [] });
    expect((await readAll(big.body)).equals(BIG_BODY)).toBe(true);
    const posted = await hub.open('acme', 'edge', { method: 'POST', destination: { url: `${upstream.url}/echo` }, headers: [['content-type', 'application/octet-stream']], body: BIG_BODY });
    const echoed = JSON.parse((await readAll(posted.body)).toString()) as { length: number; contentType: string };
    expect(posted.status).toBe(201);
    expect(echoed).toMatchObject({ length: BIG_BODY.length, contentType: 'application/octet-stream' });
    const results = await Promise.all(Array.from({ length: 64 }, () => transport.send({ method: 'GET', url: `${upstream.url}/small`, headers: {} }, { signal: AbortSignal.timeout(10_000) })));
    expect(results.map((r) => [r.status, r.body.length])).toEqual(Array.from({ length: 64 }, () => [200, 1024]));
  });

  it('refuses destinations outside the allowlist with a clear error', async () => {
    await agent();
    const transport = hub.httpTransport('acme', 'edge');
    const error = await transport.send({ method: 'GET', url: 'http://127.0.0.1:1/metadata', headers: {} }, { signal: AbortSignal.timeout(5_000) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryForbiddenError);
    expect((error as FerryForbiddenError).code).toBe('destination_not_allowed');
    expect((error as Error).message).toContain("127.0.0.1:1 is not in the agent's allowlist");
    const scheme = await transport.send({ method: 'GET', url: 'file:///etc/passwd', headers: {} }, { signal: AbortSignal.timeout(5_000) }).catch((e: unknown) => e);
    expect((scheme as FerryForbiddenError).code).toBe('destination_not_allowed');
  });

  it('tells an unreachable allowed host from a response that broke off', async () => {
    const closedPort = await unusedPort();
    const started = await startTestAgent({
      identifier: 'edge',
      hubPort: hub.port,
      tls,
      issuer,
      clientId: 'acme-agent',
      clientSecret: 'acme-agent-secret',
      upstream,
      allowedHosts: [`127.0.0.1:${upstream.port}`, `127.0.0.1:${closedPort}`],
    });
    running.push(started);
    await started.connected(10_000);
    const refused = await hub.open('acme', 'edge', { method: 'GET', destination: { url: `http://127.0.0.1:${closedPort}/` }, headers: [] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FerryUnavailableError);
    expect(refused).toMatchObject({ code: 'upstream_unreachable' });
    expect((refused as Error).message).toContain('ECONNREFUSED');
    const broken = await hub.open('acme', 'edge', { method: 'GET', destination: { url: `${upstream.url}/broken` }, headers: [] });
    expect(broken.status).toBe(200);
    const reset = await readAll(broken.body).catch((e: unknown) => e);
    expect(reset).toMatchObject({ code: 'upstream_reset' });
    expect(await metric(started.healthPort, /^ferry_agent_relay_requests_total\{outcome="upstream_error"\} (\d+)$/m)).toBe(2);
  });

  it('batches frames only for a peer that accepts batches, and keeps their order', async () => {
    const token = await issuer.mint({ clientId: 'acme-agent', tenant: 'acme', grants: AGENT_HUB_GRANT });
    for (const acceptsBatches of [false, true]) {
      const raw = await rawAgent(hub.port, tls.caPem, token, { identifier: `raw-${String(acceptsBatches)}`, acceptsBatches });
      expect(raw.registered.acceptsBatches).toBe(true);
      // Twenty requests opened in one turn of the hub's event loop.
      const responses = Promise.all(
        Array.from({ length: 20 }, (_, i) => hub.open('acme', `raw-${String(acceptsBatches)}`, { method: 'GET', destination: { clusterPath: `/n/${i}` }, headers: [] }).then((r) => readAll(r.body))),
      );
      const heads = await raw.requestHeads(20);
      expect(heads.map((head) => head.clusterPath)).toEqual(Array.from({ length: 20 }, (_, i) => `/n/${i}`));
      expect(raw.batchesSeen > 0).toBe(acceptsBatches);
      // The answers go back as one batch either way: the hub accepts batches from every agent.
      raw.send({
        batch: {
          frames: heads.flatMap((head) => [
            { responseHead: { requestId: head.requestId, status: 200, headers: [] } },
            { responseBody: { requestId: head.requestId, data: Buffer.from(head.clusterPath!) } },
            { responseEnd: { requestId: head.requestId } },
          ]),
        },
      });
      expect((await responses).map(String)).toEqual(Array.from({ length: 20 }, (_, i) => `/n/${i}`));
      raw.close();
      await eventually(() => !hub.isConnected('acme', `raw-${String(acceptsBatches)}`), 5_000, 'the raw agent to leave');
    }
  });

  it('cancels the upstream request when the caller stops reading', async () => {
    await agent();
    const response = await hub.open('acme', 'edge', { method: 'GET', destination: { url: `${upstream.url}/endless` }, headers: [] });
    for await (const _chunk of response.body) break;
    await eventually(() => upstream.abandoned.includes('/endless'), 5_000, 'the upstream request to be abandoned');
    // An aborted signal cancels too.
    const controller = new AbortController();
    const second = await hub.open('acme', 'edge', { method: 'GET', destination: { url: `${upstream.url}/endless` }, headers: [] }, controller.signal);
    controller.abort(new Error('deployment cancelled'));
    await expect(readAll(second.body)).rejects.toThrow('deployment cancelled');
    await eventually(() => upstream.abandoned.filter((u) => u === '/endless').length === 2, 5_000, 'the second upstream request to be abandoned');
  });

  it('refuses an agent with no token, an invalid one, an expired one, or one without the agentHub grant', async () => {
    const none = await rawConnect(hub.port, tls, undefined);
    expect(none.code).toBe(status.UNAUTHENTICATED);
    const forged = await rawConnect(hub.port, tls, await issuer.mint({ clientId: 'acme-agent', tenant: 'acme', grants: AGENT_HUB_GRANT }, { otherKey: true }));
    expect(forged.code).toBe(status.UNAUTHENTICATED);
    const expired = await rawConnect(hub.port, tls, await issuer.mint({ clientId: 'acme-agent', tenant: 'acme', grants: AGENT_HUB_GRANT }, { expiresInSeconds: -60 }));
    expect(expired.code).toBe(status.UNAUTHENTICATED);
    const readOnly = await rawConnect(hub.port, tls, await issuer.mint({ clientId: 'reader', tenant: 'acme', grants: [{ type: 'api', resource: 'deployment', permission: 'full' }] }));
    expect(readOnly.code).toBe(status.PERMISSION_DENIED);
    expect(readOnly.details).toContain('agentHub');
    expect(hub.connected()).toEqual([]);
  });

  it("keeps tenants apart: tenant B's deployments cannot reach tenant A's agent", async () => {
    await agent('edge', 'acme-agent');
    await expect(hub.open('globex', 'edge', { method: 'GET', destination: { clusterPath: '/api' }, headers: [] })).rejects.toBeInstanceOf(FerryUnavailableError);
    const asGlobex = await hub.connector.client({ account: 'edge', namespace: 'default', tenant: 'globex' } as never).catch((e: unknown) => e);
    expect(asGlobex).toBeInstanceOf(FerryNotFoundError);
    const asAcme = await hub.connector.client({ account: 'edge', namespace: 'default', tenant: 'acme' } as never);
    expect(asAcme).toBeDefined();
    expect(hub.agentTransports('globex').get('edge')).toBeUndefined();
    expect(hub.agentTransports('acme').get('edge')).toBeDefined();
    // An agent of globex with the same identifier registers in globex only.
    await agent('edge', 'globex-agent');
    expect((await targets.get('globex', 'edge'))?.kind).toBe('agent');
    expect(hub.connected('acme')).toHaveLength(1);
    expect(hub.connected('globex')).toHaveLength(1);
  });

  it('keeps the stream alive across token expiry by refreshing on the stream, and ends a stream whose token expires', async () => {
    const shortLived = await agent('edge', 'short-lived');
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(issuer.issued.get('short-lived')).toBeGreaterThanOrEqual(2);
    expect(hub.connected('acme').map((a) => a.instanceId)).toEqual([shortLived.instanceId]);

    const token = await issuer.mint({ clientId: 'raw', tenant: 'acme', grants: AGENT_HUB_GRANT }, { expiresInSeconds: 2 });
    const begun = Date.now();
    // Answering heartbeats, the stream can end only by its token expiring.
    const ended = await rawConnect(hub.port, tls, token, { answerHeartbeats: true });
    expect(ended.frames.map((f) => f.kind)).toContain('registered');
    expect(ended.frames.find((f) => f.kind === 'goodbye')?.goodbye?.code).toBe('token_expired');
    expect(Date.now() - begun).toBeLessThan(4_000);
  });

  it('notices a silently cut connection within 10 s on both sides and reconnects', async () => {
    const proxy = await TcpProxy.start([hub.port]);
    try {
      const edge = await agent('edge', 'acme-agent', { hubPort: proxy.port });
      const before = hub.connected('acme')[0]!;
      proxy.cut();
      const cutAt = Date.now();
      await eventually(() => hub.connected('acme').length === 0, 10_000, 'the hub to notice the cut');
      await eventually(() => edge.state !== 'connected', 10_000, 'the agent to notice the cut');
      expect(Date.now() - cutAt).toBeLessThan(10_000);
      proxy.restore();
      await edge.connected(10_000);
      const after = hub.connected('acme')[0]!;
      expect(after.instanceId).toBe(before.instanceId);
      expect(after.connectedAt).toBeGreaterThan(before.connectedAt);
      const response = await hub.open('acme', 'edge', { method: 'GET', destination: { clusterPath: '/version' }, headers: [] });
      expect(response.status).toBe(200);
      await readAll(response.body);
    } finally {
      await Promise.all(running.splice(0).map((a) => a.stop()));
      await proxy.close();
    }
  });

  it('picks up a restarted agent, and spreads requests over two replicas of one identifier', async () => {
    const first = await agent();
    await first.stop();
    running.splice(running.indexOf(first), 1);
    await eventually(() => hub.connected('acme').length === 0, 5_000, 'the stopped agent to leave the registry');
    await expect(hub.open('acme', 'edge', { method: 'GET', destination: { clusterPath: '/x' }, headers: [] })).rejects.toThrow('not connected');
    const [one, two] = [await agent(), await agent()];
    expect(hub.connected('acme').map((a) => a.instanceId).sort()).toEqual([one!.instanceId, two!.instanceId].sort());
    for (let i = 0; i < 10; i++) await readAll((await hub.open('acme', 'edge', { method: 'GET', destination: { clusterPath: `/r${i}` }, headers: [] })).body);
    const served = await Promise.all([one, two].map(async (a) => relayedOk(a!.healthPort)));
    expect(served).toEqual([5, 5]);
  });

  it('drains on request: no new requests reach a draining replica, in-flight ones finish', async () => {
    const [one, two] = [await agent(), await agent()];
    const slow = await hub.open('acme', 'edge', { method: 'GET', destination: { url: `${upstream.url}/big` }, headers: [] });
    const owner = (await relayedInFlight(one!.healthPort)) === 1 ? one! : two!;
    const other = owner === one ? two! : one!;
    const draining = owner.drain();
    await eventually(() => hub.connected('acme').some((a) => a.draining), 5_000, 'the hub to see the drain');
    expect((await readAll(slow.body)).equals(BIG_BODY)).toBe(true);
    await draining;
    running.splice(running.indexOf(owner), 1);
    for (let i = 0; i < 3; i++) await readAll((await hub.open('acme', 'edge', { method: 'GET', destination: { clusterPath: '/after' }, headers: [] })).body);
    expect(await relayedOk(other.healthPort)).toBe(3);
  });

  it('serves /health/liveness and /metrics on its health port, and nothing else', async () => {
    const edge = await agent();
    const base = `http://127.0.0.1:${edge.healthPort}`;
    expect((await fetch(`${base}/health/liveness`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^ferry_agent_connected 1$/m);
    expect((await fetch(`${base}/oidc/token`)).status).toBe(404);
    expect((await fetch(`${base}/api/v1/namespaces`)).status).toBe(404);
  });
});

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A hand-driven agent stream: registers, then shows the frames the hub sends, unwrapping batches. */
async function rawAgent(hubPort: number, caPem: string, token: string, register: { identifier: string; acceptsBatches: boolean }) {
  const client = new (agentHubProto().AgentHub)(`127.0.0.1:${hubPort}`, credentials.createSsl(Buffer.from(caPem)));
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  const call = client.connect(metadata);
  call.on('error', () => undefined);
  const frames: HubMessage__Output[] = [];
  let batchesSeen = 0;
  call.on('data', (message: HubMessage__Output) => {
    if (message.kind === 'batch') {
      batchesSeen++;
      frames.push(...message.batch!.frames);
    } else frames.push(message);
  });
  const next = (kind: string, count: number) =>
    eventually(() => frames.filter((f) => f.kind === kind).length >= count, 5_000, `${count} ${kind} frames`).then(() => frames.filter((f) => f.kind === kind));
  call.write({ register: { identifier: register.identifier, instanceId: `${register.identifier}-1`, version: 'test', requestWindow: 65536, acceptsBatches: register.acceptsBatches } });
  const [registered] = await next('registered', 1);
  return {
    registered: registered!.registered!,
    get batchesSeen() {
      return batchesSeen;
    },
    requestHeads: async (count: number) => (await next('requestHead', count)).map((f) => f.requestHead!),
    send: (message: AgentMessage) => call.write(message),
    close: () => {
      call.cancel();
      client.close();
    },
  };
}

async function metric(port: number, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

const relayedOk = (port: number) => metric(port, /^ferry_agent_relay_requests_total\{outcome="ok"\} (\d+)$/m);
const relayedInFlight = (port: number) => metric(port, /^ferry_agent_relay_in_flight (\d+)$/m);
