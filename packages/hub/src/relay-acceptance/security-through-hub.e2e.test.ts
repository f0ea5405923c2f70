import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata, status as grpcStatus, type ClientDuplexStream } from '@grpc/grpc-js';
import { FerryForbiddenError } from '@ferry/core';
import { createTestNamespace, type TestNamespace } from '@ferry/devcluster/vitest';
import { agentHubProto, type AgentMessage, type HubMessage__Output } from '@ferry/proto';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawConnect, startUpstream, type Upstream } from '../agent-hub/relay-harness.js';
import type { TestTls } from '../agent-hub/test-support.js';
import { openHubDatabase, type HubDatabase } from '../db/index.js';
import { loadOrCreateSigningKeys } from '../identity/persisted-keys.js';
import { generateMasterKeyFile, loadMasterKey } from '../secrets/index.js';
import { deploymentsClient, sampleAppDeployFile, startTestHub, TEST_POSTGRES_URL, waitFor, type TestHub } from '../test-support/index.js';
import { listeningPortsOf, spawnAgent, type AgentProcess } from './support.js';

/**
 * The relay's security properties through a real hub (startHub with its identity service and
 * RBAC) and a real `ferry-agent` process: who may connect, which tenant an agent serves,
 * where it may go, and that nothing flows from the agent's side into the hub.
 */
// A namespace for the whole file (made in beforeAll; useTestNamespace lives per test).
let namespace: TestNamespace;
const ns = { get current(): TestNamespace { return namespace; } };
const AGENT_HUB = [{ type: 'api' as const, resource: 'agentHub' as const, permission: 'full' as const }];

describe('relay security through a real hub', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  let hub: TestHub;
  let database: HubDatabase;
  let masterKeyFile: string;
  let upstream: Upstream;
  let agent: AgentProcess;
  let tls: TestTls;
  let port: number;

  beforeAll(async () => {
    namespace = await createTestNamespace({ prefix: 'relay-security' });
    cleanups.push(() => namespace.delete());
    const dir = await mkdtemp(join(tmpdir(), 'ferry-relay-security-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    masterKeyFile = join(dir, 'master.key');
    generateMasterKeyFile(masterKeyFile);
    hub = await startTestHub({ database: 'postgres', masterKey: { file: masterKeyFile }, agentHub: { enabled: true, port: 0, heartbeatIntervalMs: 500 } });
    cleanups.push(() => hub.close());
    port = hub.hub.agentHub!.port;
    tls = { caPem: hub.hub.caCertPem!, certPem: '', keyPem: '' };
    database = await openHubDatabase({ connectionString: TEST_POSTGRES_URL, schema: hub.schema! });
    cleanups.push(() => database.close());
    upstream = await startUpstream();
    cleanups.push(() => upstream.close());

    await hub.repositories.tenants.ensure('tenant-a');
    await hub.repositories.roles.put({ tenant: 'tenant-a', name: 'agent', grants: AGENT_HUB });
    const created = await hub.repositories.credentials.create({ tenant: 'tenant-a', name: 'edge-agent', roles: ['agent'] });
    agent = spawnAgent({
      identifier: 'edge-a',
      hubPort: port,
      caFile: hub.hub.caFile!,
      tokenUrl: `${hub.url}/oidc/token`,
      clientId: created.credential.clientId,
      clientSecret: created.clientSecret,
      kubeconfig: ns.current.kubeconfigPath,
      allowedHosts: [`127.0.0.1:${upstream.port}`],
    });
    cleanups.push(() => agent.kill9());
    await agent.connected();
  });

  afterAll(async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  });

  it('refuses an agent with no token, an invalid one, an expired one or one without the agentHub grant', async () => {
    const none = await rawConnect(port, tls, undefined);
    expect(none.code).toBe(grpcStatus.UNAUTHENTICATED);
    expect(none.details).toMatch(/missing bearer token/);
    expect((await rawConnect(port, tls, 'not-a-token')).code).toBe(grpcStatus.UNAUTHENTICATED);

    // A real token of the hub, re-signed with the hub's own key: valid while fresh, refused once expired.
    const real = await hub.tokenFor({ tenant: 'tenant-a', grants: AGENT_HUB });
    const keys = await loadOrCreateSigningKeys(database.db, loadMasterKey({ file: masterKeyFile }));
    const kid = decodeProtectedHeader(real).kid;
    const jwk = keys.privateJwks.keys.find((k) => k.kid === kid)!;
    const key = await importJWK(jwk, 'RS256');
    const resign = (iat: number, exp: number) =>
      new SignJWT({ ...decodeJwt(real), iat, exp }).setProtectedHeader(decodeProtectedHeader(real) as { alg: string }).sign(key);
    const nowS = Math.floor(Date.now() / 1000);
    const fresh = await rawConnect(port, tls, await resign(nowS, nowS + 300));
    expect(fresh.frames.some((f) => f.kind === 'registered'), JSON.stringify(fresh)).toBe(true);
    const expired = await rawConnect(port, tls, await resign(nowS - 7200, nowS - 3600));
    expect(expired.code).toBe(grpcStatus.UNAUTHENTICATED);
    expect(expired.frames.some((f) => f.kind === 'registered')).toBe(false);

    const noGrant = await rawConnect(port, tls, await hub.tokenFor({ tenant: 'tenant-a', grants: [{ type: 'api', resource: 'deployment', permission: 'full' }] }));
    expect(noGrant.code).toBe(grpcStatus.PERMISSION_DENIED);
    expect(noGrant.frames).toEqual([]);
  });

  it("does not let tenant B's deployment use tenant A's agent", async () => {
    expect(hub.hub.agentHub!.isConnected('tenant-a', 'edge-a')).toBe(true);
    expect(hub.hub.agentHub!.isConnected('tenant-b', 'edge-a')).toBe(false);
    const tokenB = await hub.tokenFor({ tenant: 'tenant-b', grants: [{ type: 'api', resource: 'tenant', permission: 'full' }] });
    const apiB = deploymentsClient(hub.fetch, () => tokenB);
    const file = sampleAppDeployFile({ context: 'edge-a', namespace: ns.current.name, image: 'ferry/sample-app:v1', steps: '        - setWeight: 100' });
    const { id } = await apiB.start(file);
    const final = await waitFor("B's deployment to end", async () => {
      const status = await apiB.status(id);
      return ['SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELED', 'REJECTED'].includes(status.status) ? status : undefined;
    });
    expect(final.status).toBe('FAILED');
    // The agent identifier is not a target of tenant B, whichever tenant's agent carries it.
    expect(JSON.stringify(final)).toMatch(/no target named \\?"edge-a\\?" in tenant \\?"tenant-b\\?"/);
    // Nothing of it reached the cluster.
    expect((await ns.current.apps.listNamespacedDeployment({ namespace: ns.current.name })).items).toEqual([]);
    await expect(hub.hub.agentHub!.httpTransport('tenant-b', 'edge-a').send({ method: 'GET', url: `${upstream.url}/small`, headers: {} }, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow(/not connected/);
  });

  it('refuses relay requests to destinations outside the allowlist', async () => {
    const transport = hub.hub.agentHub!.httpTransport('tenant-a', 'edge-a');
    const allowed = await transport.send({ method: 'GET', url: `${upstream.url}/small`, headers: {} }, { signal: AbortSignal.timeout(5_000) });
    expect(allowed.body).toHaveLength(1024);
    const seen = upstream.seen.length;
    for (const url of ['http://127.0.0.1:1/', 'http://169.254.169.254/latest/meta-data/', `http://localhost:${upstream.port}/small`]) {
      const refused = await transport.send({ method: 'GET', url, headers: {} }, { signal: AbortSignal.timeout(5_000) }).catch((e: unknown) => e);
      expect(refused, url).toBeInstanceOf(FerryForbiddenError);
      expect((refused as FerryForbiddenError).code).toBe('destination_not_allowed');
    }
    expect(upstream.seen.length).toBe(seen);
  });

  it('opens no way from the agent into the hub: only the health port listens, and it serves only liveness and metrics', async () => {
    const healthPort = await agent.healthPort();
    expect(await listeningPortsOf(agent.child.pid!)).toEqual([healthPort]);
    const base = `http://127.0.0.1:${healthPort}`;
    expect((await fetch(`${base}/health/liveness`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/# TYPE/);
    for (const path of ['/', '/api/v1/namespaces', '/oidc/token', '/api/v1/deployments', '/health/readiness']) expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    expect((await fetch(`${base}/health/liveness`, { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it('ignores hub-bound frames other than responses to its own requests, heartbeats and token refreshes', async () => {
    const token = await hub.tokenFor({ tenant: 'tenant-a', grants: AGENT_HUB });
    const client = new (agentHubProto().AgentHub)(`127.0.0.1:${port}`, credentials.createSsl(Buffer.from(tls.caPem)));
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${token}`);
    const call: ClientDuplexStream<AgentMessage, HubMessage__Output> = client.connect(metadata);
    const frames: HubMessage__Output[] = [];
    let status: number | undefined;
    call.on('data', (frame: HubMessage__Output) => frames.push(frame));
    call.on('error', (error: { code: number }) => (status = error.code));
    try {
      call.write({ register: { identifier: 'raw-a', instanceId: 'raw-a-1', version: 'test', requestWindow: 65536, clusterAccount: true } });
      await waitFor('registered', async () => (frames.some((f) => f.kind === 'registered') ? true : undefined), 10_000, 50);
      // Attempts to act as another agent, answer requests the hub never sent, or push data.
      call.write({ register: { identifier: 'intruder', instanceId: 'intruder-1', version: 'test', requestWindow: 65536, clusterAccount: true } });
      call.write({ responseHead: { requestId: 4242, status: 200, headers: [{ name: 'x', value: 'y' }] } });
      call.write({ responseBody: { requestId: 4242, data: Buffer.from('unsolicited') } });
      call.write({ responseEnd: { requestId: 4242 } });
      call.write({ windowUpdate: { requestId: 4242, bytes: 1 << 20 } });
      const heartbeats = frames.filter((f) => f.kind === 'heartbeat').length;
      await waitFor('heartbeats after the frames', async () => (frames.filter((f) => f.kind === 'heartbeat').length > heartbeats + 1 ? true : undefined), 10_000, 50);

      const identifiers = hub.hub.agentHub!.connected('tenant-a').map((a) => a.identifier).sort();
      expect(identifiers).toEqual(['edge-a', 'raw-a']);
      expect(await hub.repositories.targets.get('tenant-a', 'intruder')).toBeNull();
      expect(frames.every((f) => ['registered', 'heartbeat'].includes(f.kind ?? ''))).toBe(true);
      expect(status).toBeUndefined();
      // The real agent still serves its tenant.
      const again = await hub.hub.agentHub!.httpTransport('tenant-a', 'edge-a').send({ method: 'GET', url: `${upstream.url}/small`, headers: {} }, { signal: AbortSignal.timeout(5_000) });
      expect(again.status).toBe(200);
    } finally {
      call.cancel();
      client.close();
    }
  });
});
