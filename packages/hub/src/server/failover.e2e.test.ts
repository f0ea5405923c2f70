import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestNamespace } from '@ferry/devcluster/vitest';
import { createPostgresStore } from '@ferry/store-sql';
import { afterEach, describe, expect, it } from 'vitest';
import { openHubDatabase } from '../db/index.js';
import { loadMasterKey } from '../secrets/index.js';
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

/**
 * Two hub processes share one PostgreSQL schema. The replica holding a canary's lease is
 * killed with SIGKILL during its pause; the other takes the lease when it expires and
 * finishes the deployment.
 */
const ns = useTestNamespace({ prefix: 'hub-failover' });
const LEASE_TTL_MS = 3000;
const STEPS = `        - setWeight: 25
        - pause: {duration: 10, unit: seconds}
        - setWeight: 100`;

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  cleanups = [];
});

describe('hub failover on PostgreSQL', () => {
  it('a second replica finishes a canary whose replica was killed mid-pause, no step skipped or completed twice', async () => {
    const schema = uniqueSchema();
    cleanups.push(() => dropSchema(schema));
    const dirs = [await mkdtemp(join(tmpdir(), 'ferry-hub-a-')), await mkdtemp(join(tmpdir(), 'ferry-hub-b-'))];
    cleanups.push(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
    // Replicas share the database, so they share the master key; each has its own data directory (and replica name).
    const keyFile = join(dirs[0] as string, 'shared-master.key');
    const { generateMasterKeyFile } = await import('../secrets/index.js');
    generateMasterKeyFile(keyFile);
    const args = ['--postgres', TEST_POSTGRES_URL, '--postgres-schema', schema, '--kubeconfig', ns.current.kubeconfigPath, '--lease-ttl-ms', String(LEASE_TTL_MS), '--master-key-file', keyFile, '--public-url', 'https://ferry.example.test'];

    const hubs: SpawnedHub[] = [];
    for (const dataDir of dirs) {
      const hub = await spawnHub({ dataDir, args });
      hubs.push(hub);
      cleanups.push(() => hub.kill9());
    }
    const names = dirs.map((d) => readFileSync(join(d, 'replica-name'), 'utf8').trim());
    expect(names[0]).not.toBe(names[1]);

    const database = await openHubDatabase({ connectionString: TEST_POSTGRES_URL, schema });
    cleanups.push(() => database.close());
    const store = await createPostgresStore({ connectionString: TEST_POSTGRES_URL, schema });
    cleanups.push(() => store.destroy());
    const repositories = database.repositories({ masterKey: loadMasterKey({ file: keyFile }) });
    const tokens = await Promise.all(hubs.map((hub) => machineToken(repositories, hub.fetch, { tenant: 'default', grants: ORGANIZATION_FULL })));
    const apis = hubs.map((hub, i) => deploymentsClient(hub.fetch, () => tokens[i] as string));
    const context = ns.current.kubeConfig.getCurrentContext();
    const file = (image: string) => sampleAppDeployFile({ context, namespace: ns.current.name, image, steps: STEPS });

    const first = await apis[0]!.start(file('ferry/sample-app:v1'));
    await waitFor('v1 to succeed', async () => ((await apis[0]!.status(first.id)).status === 'SUCCEEDED' ? true : undefined));

    const canary = await apis[0]!.start(file('ferry/sample-app:v2'));
    await waitFor('the canary to pause', async () => (pauseIsWaiting(await apis[1]!.events(canary.id)) ? true : undefined));
    const holder = (await store.get(canary.id))?.lease?.owner;
    const victim = names.indexOf(holder ?? '');
    expect(victim, `lease owner ${holder} is one of ${names.join(', ')}`).toBeGreaterThanOrEqual(0);
    const survivor = 1 - victim;
    await hubs[victim]!.kill9();

    let survivorHeldLease = false;
    const final = await waitFor('the survivor to finish the canary', async () => {
      if ((await store.get(canary.id))?.lease?.owner === names[survivor]) survivorHeldLease = true;
      const status = await apis[survivor]!.status(canary.id);
      return ['SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELED', 'REJECTED'].includes(status.status) ? status : undefined;
    });
    expect(final.status, JSON.stringify(final)).toBe('SUCCEEDED');
    // The survivor took the lease over (the victim's expired: it never released it).
    expect(survivorHeldLease).toBe(true);

    const events = await apis[survivor]!.events(canary.id);
    expect(stepProblems(events)).toEqual([]);
    const started = new Set(events.filter((e) => e.type === 'step.started').map((e) => e.stepId));
    const completed = new Set(events.filter((e) => e.type === 'step.completed').map((e) => e.stepId));
    expect([...completed].sort()).toEqual([...started].sort());
    const kindOf = new Map(events.filter((e) => e.type === 'step.started').map((e) => [e.stepId, e.data.kind]));
    const completedKinds = events.filter((e) => e.type === 'step.completed').map((e) => kindOf.get(e.stepId));
    expect(completedKinds.filter((k) => k === 'setWeight')).toHaveLength(2);
    expect(completedKinds.filter((k) => k === 'pause')).toHaveLength(1);
    // Only the interrupted step (the pause) may have started twice.
    const startsPerStep = new Map<string | null, number>();
    for (const e of events) if (e.type === 'step.started') startsPerStep.set(e.stepId, (startsPerStep.get(e.stepId) ?? 0) + 1);
    const repeated = [...startsPerStep].filter(([, n]) => n > 1).map(([id]) => kindOf.get(id));
    expect(repeated.every((kind) => kind === 'pause')).toBe(true);
    expect(await hubs[survivor]!.stop()).toBe(0);
  });
});
