import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestNamespace, type TestNamespace } from '@ferry/devcluster/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../agent-hub/relay-harness.js';
import { openHubDatabase, type HubDatabase } from '../db/index.js';
import { generateMasterKeyFile, loadMasterKey } from '../secrets/index.js';
import {
  deploymentsClient,
  dropSchema,
  machineToken,
  ORGANIZATION_FULL,
  pauseIsWaiting,
  sampleAppDeployFile,
  spawnHub,
  stepProblems,
  TEST_POSTGRES_URL,
  uniqueSchema,
  waitFor,
  type SpawnedHub,
} from '../test-support/index.js';
import { agentHubPortOf, seedHubCa, serviceAccountKubeconfig, spawnAgent, writeHubTls, type AgentProcess } from './support.js';

/**
 * The hub has no kubeconfig: the dev cluster is reachable only through a `ferry-agent` child
 * process using a ServiceAccount token of the cluster. A canary succeeds through the relay,
 * survives the agent being killed during its pause, and a silently cut agent connection is
 * noticed and replaced.
 */
// A namespace for the whole file (made in beforeAll; useTestNamespace lives per test).
let namespace: TestNamespace;
const ns = { get current(): TestNamespace { return namespace; } };
const STEPS = `        - setWeight: 25
        - pause: {duration: 12, unit: seconds}
        - setWeight: 100`;
const FINAL = ['SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELED', 'REJECTED'];

describe('a canary through the relay of a real hub', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  let hub: SpawnedHub;
  let database: HubDatabase;
  let api: ReturnType<typeof deploymentsClient>;
  let agentCredential: { clientId: string; clientSecret: string };
  let kubeconfig: string;
  let caFile: string;
  const agents: AgentProcess[] = [];
  const identifier = `cluster-${randomBytes(3).toString('hex')}`;

  const startAgent = (hubPort = agentHubPortOf(hub)) => {
    const agent = spawnAgent({ identifier, hubPort, caFile, tokenUrl: `${hub.url}/oidc/token`, ...agentCredential, kubeconfig });
    agents.push(agent);
    return agent;
  };
  const file = (image: string) => sampleAppDeployFile({ context: identifier, namespace: ns.current.name, image, steps: STEPS });

  beforeAll(async () => {
    namespace = await createTestNamespace({ prefix: 'relay-canary' });
    cleanups.push(() => namespace.delete());
    const dir = await mkdtemp(join(tmpdir(), 'ferry-relay-canary-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const schema = uniqueSchema();
    cleanups.push(() => dropSchema(schema));
    const sa = await serviceAccountKubeconfig(ns.current, dir);
    cleanups.push(sa.cleanup);
    kubeconfig = sa.path;
    const tls = writeHubTls(dir);
    caFile = tls.caFile;
    const keyFile = join(dir, 'master.key');
    generateMasterKeyFile(keyFile);
    // No --kubeconfig: the hub knows no cluster but through agents.
    hub = await spawnHub({ dataDir: seedHubCa(join(dir, 'hub'), tls.caPem), args: ['--postgres', TEST_POSTGRES_URL, '--postgres-schema', schema, '--master-key-file', keyFile, '--log-level', 'info', ...tls.args] });
    cleanups.push(() => hub.kill9());
    database = await openHubDatabase({ connectionString: TEST_POSTGRES_URL, schema });
    cleanups.push(() => database.close());
    const repositories = database.repositories({ masterKey: loadMasterKey({ file: keyFile }) });
    const token = await machineToken(repositories, hub.fetch, { tenant: 'default', grants: ORGANIZATION_FULL });
    api = deploymentsClient(hub.fetch, () => token);
    await repositories.roles.put({ tenant: 'default', name: 'agent', grants: [{ type: 'api', resource: 'agentHub', permission: 'full' }] });
    const created = await repositories.credentials.create({ tenant: 'default', name: 'cluster-agent', roles: ['agent'] });
    agentCredential = { clientId: created.credential.clientId, clientSecret: created.clientSecret };
  });

  afterAll(async () => {
    for (const agent of agents) await agent.kill9();
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  });

  it('deploys v1, then a canary that survives a SIGKILLed agent during its pause', async () => {
    const first = startAgent();
    await first.connected();
    const v1 = await api.start(file('ferry/sample-app:v1'));
    const v1Final = await waitFor('v1 to finish', async () => {
      const status = await api.status(v1.id);
      return FINAL.includes(status.status) ? status : undefined;
    });
    expect(v1Final.status, JSON.stringify(v1Final)).toBe('SUCCEEDED');

    const canary = await api.start(file('ferry/sample-app:v2'));
    await waitFor('the canary to pause', async () => (pauseIsWaiting(await api.events(canary.id)) ? true : undefined));
    await first.kill9();
    const second = startAgent();
    await second.connected();
    const final = await waitFor('the canary to finish', async () => {
      const status = await api.status(canary.id);
      return FINAL.includes(status.status) ? status : undefined;
    });
    expect(final.status, JSON.stringify(final)).toBe('SUCCEEDED');
    const events = await api.events(canary.id);
    expect(stepProblems(events)).toEqual([]);
    expect(events.at(-1)?.type).toBe('deployment.completed');

    // What the relay did is in the cluster: v2 runs every replica, v1 none.
    const sets = (await ns.current.apps.listNamespacedReplicaSet({ namespace: ns.current.name })).items;
    const imageOf = (set: (typeof sets)[number]) => set.spec?.template?.spec?.containers?.[0]?.image;
    const total = (image: string, of: (set: (typeof sets)[number]) => number | undefined) => sets.filter((s) => imageOf(s) === image).reduce((sum, s) => sum + (of(s) ?? 0), 0);
    expect(sets.map(imageOf)).toContain('ferry/sample-app:v2');
    // The strategy manages ReplicaSets of the application itself (no Deployment object is applied).
    expect(sets.every((s) => s.metadata?.name?.startsWith('hub-sample-app'))).toBe(true);
    expect(total('ferry/sample-app:v2', (s) => s.status?.readyReplicas)).toBe(4);
    expect(total('ferry/sample-app:v1', (s) => s.spec?.replicas)).toBe(0);
  });

  it('notices a silently cut agent connection within 10 s, and the agent reconnects', async () => {
    for (const agent of agents) await agent.kill9();
    const proxy = await TcpProxy.start([agentHubPortOf(hub)]);
    cleanups.push(() => proxy.close());
    const agent = startAgent(proxy.port);
    await agent.connected();
    const hubDisconnectsBefore = (hub.output().match(/agent stream silent: closing it/g) ?? []).length;

    proxy.cut();
    const cutAt = Date.now();
    await waitFor('the hub to close the silent stream', async () => ((hub.output().match(/agent stream silent: closing it/g) ?? []).length > hubDisconnectsBefore ? true : undefined), 10_000, 100);
    const noticedMs = Date.now() - cutAt;
    expect(noticedMs).toBeLessThan(10_000);
    await waitFor('the agent to drop the silent stream', async () => (agent.output().includes('the hub went silent; dropping the stream') ? true : undefined), 10_000, 100);

    proxy.restore();
    await agent.connected(1, 20_000);
    // The relay works again: a deployment (a no-change re-apply of v2) goes through it.
    const again = await api.start(file('ferry/sample-app:v2'));
    const final = await waitFor('the deployment after reconnecting', async () => {
      const status = await api.status(again.id);
      return FINAL.includes(status.status) ? status : undefined;
    });
    expect(final.status, JSON.stringify(final)).toBe('SUCCEEDED');
  });
});
