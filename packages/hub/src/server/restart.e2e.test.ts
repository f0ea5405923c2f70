import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestNamespace } from '@ferry/devcluster/vitest';
import { createSqliteStore } from '@ferry/store-sql';
import { afterEach, describe, expect, it } from 'vitest';
import { openHubDatabase, type HubDatabase } from '../db/index.js';
import { loadMasterKey } from '../secrets/index.js';
import { deploymentsClient, machineToken, ORGANIZATION_FULL, pauseIsWaiting, sampleAppDeployFile, spawnHub, stepProblems, waitFor, type SpawnedHub } from '../test-support/index.js';

/**
 * A SQLite hub in a child process is killed with SIGKILL while a canary pauses; a new process
 * on the same data directory (same replica name, so it resumes at once) finishes it.
 */
const ns = useTestNamespace({ prefix: 'hub-restart' });
const STEPS = `        - setWeight: 25
        - pause: {duration: 8, unit: seconds}
        - setWeight: 100`;

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  cleanups = [];
});

async function tokenFor(hub: SpawnedHub, database: HubDatabase, dataDir: string): Promise<string> {
  const repositories = database.repositories({ masterKey: loadMasterKey({ file: join(dataDir, 'master.key') }) });
  return machineToken(repositories, hub.fetch, { tenant: 'default', grants: ORGANIZATION_FULL });
}

describe('hub restart on the same SQLite data directory', () => {
  it('finishes a deployment interrupted by kill -9, with no step lost or repeated', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ferry-hub-restart-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const args = ['--kubeconfig', ns.current.kubeconfigPath, '--log-level', 'info'];
    const context = ns.current.kubeConfig.getCurrentContext();
    const file = (image: string) => sampleAppDeployFile({ context, namespace: ns.current.name, image, steps: STEPS });

    let hub = await spawnHub({ dataDir, args });
    cleanups.push(() => hub.kill9());
    const database = await openHubDatabase({ sqlitePath: join(dataDir, 'hub.db') });
    cleanups.push(() => database.close());
    let token = await tokenFor(hub, database, dataDir);
    let api = deploymentsClient((path, init) => hub.fetch(path, init), () => token);

    const first = await api.start(file('ferry/sample-app:v1'));
    await waitFor('v1 to succeed', async () => ((await api.status(first.id)).status === 'SUCCEEDED' ? true : undefined));

    const second = await api.start(file('ferry/sample-app:v2'));
    await waitFor('the canary to pause', async () => (pauseIsWaiting(await api.events(second.id)) ? true : undefined));
    const replica = readFileSync(join(dataDir, 'replica-name'), 'utf8').trim();
    await hub.kill9();
    const store = await createSqliteStore({ path: join(dataDir, 'hub.db') });
    const eventsAtKill = (await store.listEvents(second.id, { limit: 10_000 })).length;
    await store.destroy();

    hub = await spawnHub({ dataDir, args });
    expect(readFileSync(join(dataDir, 'replica-name'), 'utf8').trim()).toBe(replica);
    token = await tokenFor(hub, database, dataDir);
    api = deploymentsClient((path, init) => hub.fetch(path, init), () => token);
    const final = await waitFor('v2 to finish after the restart', async () => {
      const status = await api.status(second.id);
      return ['SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELED', 'REJECTED'].includes(status.status) ? status : undefined;
    });
    expect(final.status, JSON.stringify(final)).toBe('SUCCEEDED');

    const events = await api.events(second.id);
    expect(events.length).toBeGreaterThan(eventsAtKill);
    expect(stepProblems(events)).toEqual([]);
    const planned = new Set(events.filter((e) => e.type === 'step.started').map((e) => e.stepId));
    const completed = new Set(events.filter((e) => e.type === 'step.completed').map((e) => e.stepId));
    expect([...planned].sort()).toEqual([...completed].sort());
    const kindOf = new Map(events.filter((e) => e.type === 'step.started').map((e) => [e.stepId, e.data.kind]));
    const kinds = events.filter((e) => e.type === 'step.completed').map((e) => kindOf.get(e.stepId));
    expect(kinds.filter((k) => k === 'pause')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'setWeight')).toHaveLength(2);
    expect(events.at(-1)?.type).toBe('deployment.completed');
    expect(await hub.stop()).toBe(0);
  });
});
