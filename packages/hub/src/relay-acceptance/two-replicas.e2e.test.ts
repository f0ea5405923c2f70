import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestNamespace } from '@ferry/devcluster/vitest';
import { createPostgresStore } from '@ferry/store-sql';
import { afterAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../agent-hub/relay-harness.js';
import { openHubDatabase } from '../db/index.js';
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
import { agentHubPortOf, seedHubCa, serviceAccountKubeconfig, spawnAgent, writeHubTls } from './support.js';

/** NATS runs at 127.0.0.1:4222 on these machines (and in CI). */
const NATS = process.env.FERRY_NATS_URL ?? 'nats://127.0.0.1:4222';
const ns = useTestNamespace({ prefix: 'relay-replicas' });
const STEPS = `        - setWeight: 25
        - pause: {duration: 10, unit: seconds}
        - setWeight: 100`;
const FINAL = ['SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELED', 'REJECTED'];

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
});

/**
 * Two hub processes on one PostgreSQL schema, relaying over NATS. The agent's stream is on
 * replica 1 while replica 2 runs the canary through it; replica 1 is SIGKILLed during the
 * pause, the agent reconnects (through a TCP balancer) to replica 2, which finishes.
 */
describe('two hub replicas and one agent', () => {
  it('runs a canary on replica 2 through the agent on replica 1, and finishes it after replica 1 dies', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-relay-replicas-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const schema = uniqueSchema();
    cleanups.push(() => dropSchema(schema));
    const sa = await serviceAccountKubeconfig(ns.current, dir);
    cleanups.push(sa.cleanup);
    const tls = writeHubTls(dir);
    const keyFile = join(dir, 'master.key');
    generateMasterKeyFile(keyFile);
    const args = ['--postgres', TEST_POSTGRES_URL, '--postgres-schema', schema, '--master-key-file', keyFile, '--public-url', 'https://ferry.example.test', '--nats', NATS, '--lease-ttl-ms', '3000', '--log-level', 'info', ...tls.args];

    const hubs: SpawnedHub[] = [];
    for (const name of ['r1', 'r2']) {
      const hub = await spawnHub({ dataDir: seedHubCa(join(dir, name), tls.caPem), args });
      hubs.push(hub);
      cleanups.push(() => hub.kill9());
    }
    const [replica1, replica2] = hubs as [SpawnedHub, SpawnedHub];
    const names = ['r1', 'r2'].map((d) => readFileSync(join(dir, d, 'replica-name'), 'utf8').trim());

    const database = await openHubDatabase({ connectionString: TEST_POSTGRES_URL, schema });
    cleanups.push(() => database.close());
    const store = await createPostgresStore({ connectionString: TEST_POSTGRES_URL, schema });
    cleanups.push(() => store.destroy());
    const repositories = database.repositories({ masterKey: loadMasterKey({ file: keyFile }) });
    const token = await machineToken(repositories, replica2.fetch, { tenant: 'default', grants: ORGANIZATION_FULL });
    const api = deploymentsClient(replica2.fetch, () => token);
    await repositories.roles.put({ tenant: 'default', name: 'agent', grants: [{ type: 'api', resource: 'agentHub', permission: 'full' }] });
    const { credential, clientSecret } = await repositories.credentials.create({ tenant: 'default', name: 'cluster-agent', roles: ['agent'] });

    // The load balancer in front of the replicas: the first that accepts (replica 1 while it lives).
    const grpcBalancer = await TcpProxy.start([agentHubPortOf(replica1), agentHubPortOf(replica2)]);
    cleanups.push(() => grpcBalancer.close());
    const httpsBalancer = await TcpProxy.start([new URL(replica1.url).port, new URL(replica2.url).port].map(Number));
    cleanups.push(() => httpsBalancer.close());
    const agent = spawnAgent({
      identifier: 'cluster-r',
      hubPort: grpcBalancer.port,
      caFile: tls.caFile,
      tokenUrl: `https://127.0.0.1:${httpsBalancer.port}/oidc/token`,
      clientId: credential.clientId,
      clientSecret,
      kubeconfig: sa.path,
    });
    cleanups.push(() => agent.kill9());
    await agent.connected();
    expect(agent.lastReplica()).toBe(names[0]);

    const file = (image: string) => sampleAppDeployFile({ context: 'cluster-r', namespace: ns.current.name, image, steps: STEPS });
    const v1 = await api.start(file('ferry/sample-app:v1'));
    const v1Final = await waitFor('v1 to finish', async () => {
      const status = await api.status(v1.id);
      return FINAL.includes(status.status) ? status : undefined;
    });
    expect(v1Final.status, JSON.stringify(v1Final)).toBe('SUCCEEDED');
    expect((await store.get(v1.id))?.lease?.owner ?? names[1]).toBe(names[1]);

    const canary = await api.start(file('ferry/sample-app:v2'));
    await waitFor('the canary to pause', async () => (pauseIsWaiting(await api.events(canary.id)) ? true : undefined));
    expect((await store.get(canary.id))?.lease?.owner).toBe(names[1]);
    expect(agent.lastReplica()).toBe(names[0]);

    await replica1.kill9();
    await agent.connected(1, 30_000);
    expect(agent.lastReplica()).toBe(names[1]);

    let leaseMoved = false;
    const final = await waitFor('replica 2 to finish the canary', async () => {
      const owner = (await store.get(canary.id))?.lease?.owner;
      if (owner !== undefined && owner !== names[1]) leaseMoved = true;
      const status = await api.status(canary.id);
      return FINAL.includes(status.status) ? status : undefined;
    });
    expect(final.status, JSON.stringify(final)).toBe('SUCCEEDED');
    expect(leaseMoved).toBe(false);
    expect(stepProblems(await api.events(canary.id))).toEqual([]);
    const sets = (await ns.current.apps.listNamespacedReplicaSet({ namespace: ns.current.name })).items;
    const v2Ready = sets.filter((s) => s.spec?.template?.spec?.containers?.[0]?.image === 'ferry/sample-app:v2').reduce((n, s) => n + (s.status?.readyReplicas ?? 0), 0);
    expect(v2Ready).toBe(4);
    expect(await replica2.stop()).toBe(0);
  });
});
