/**
 * Crash-safety of the strategies through the real engine: a canary (pod ratio) and a
 * blue/green rollout are cut off after every persisted transition in turn, and a fresh
 * engine on the same store and cluster finishes them. Each must end with the cluster as
 * an uninterrupted run leaves it — what re-running idempotent steps guarantees.
 */
import { createEngine, definePlugin, type ClusterConnectorV1, type DeployFile, type FerryEngine, type StoreV1 } from '@ferry/core';
import { approvalPause, crashAfter, createFakeCluster, dyingConnector, createManualClock, driveToEnd, MemoryStore, testDeployFile, testTarget, type FakeCluster, type ManualClock } from '@ferry/core/testing';
import { describe, expect, it } from 'vitest';
import { blueGreen, canary } from './plugins.js';
import { service, webDeployment } from './test-support/harness.js';

const ACCOUNT = 'prod-cluster';

function deployFile(kind: 'canary' | 'blueGreen', image: string): DeployFile {
  const strategy =
    kind === 'canary'
      ? { kind: 'canary' as const, name: 's', steps: [{ kind: 'setWeight' as const, weight: 25 }, approvalPause(), { kind: 'setWeight' as const, weight: 50 }] }
      : { kind: 'blueGreen' as const, name: 's', activeService: 'web', previewService: 'web-preview', redirectTrafficAfter: [approvalPause()], shutDownOldVersionAfter: [] };
  return testDeployFile(
    { application: 'shop-web', targets: { prod: testTarget('prod', { strategy: 's' }) }, strategies: { s: strategy } },
    [webDeployment(image), service('web'), service('web-preview')],
  );
}

function engineFor(store: StoreV1, clock: ManualClock, connector: ClusterConnectorV1): FerryEngine {
  return createEngine({
    store,
    clock,
    owner: 'hub-1',
    plugins: [canary(), blueGreen(), definePlugin({ id: 'test.cluster', register: (ctx) => ctx.clusterConnectors.add(connector) })],
  });
}

/** The cluster as it matters: objects, replica counts and Service selectors (not deployment ids). */
function essence(cluster: FakeCluster) {
  return cluster.objects(ACCOUNT).map((o) => ({
    kind: o.kind,
    name: o.metadata.name,
    replicas: (o.spec as { replicas?: number } | undefined)?.replicas,
    selector: o.kind === 'Service' ? (o.spec as { selector: unknown }).selector : undefined,
  }));
}

/** v1 running, deployed uninterrupted on its own store. */
async function clusterWithV1(kind: 'canary' | 'blueGreen', clock: ManualClock): Promise<FakeCluster> {
  const cluster = createFakeCluster({ clock });
  const engine = engineFor(new MemoryStore(), clock, cluster.connector);
  const d = await engine.start(deployFile(kind, 'web:1'));
  expect((await driveToEnd(engine, clock, d.id)).state.status).toBe('SUCCEEDED');
  await engine.close();
  return cluster;
}

async function run(kind: 'canary' | 'blueGreen', crashAfterCommits: number) {
  const clock = createManualClock();
  const cluster = await clusterWithV1(kind, clock);
  const store = new MemoryStore();
  const crashing = crashAfter(store, crashAfterCommits);
  const first = engineFor(crashing.store, clock, dyingConnector(cluster.connector, crashing.isCrashed));
  void first.start(deployFile(kind, 'web:2')).catch(() => undefined);
  for (let tick = 0; tick < 200 && !crashing.isCrashed(); tick++) {
    await Promise.race([first.idle(), crashing.crashed]);
    if (crashing.isCrashed()) break;
    const [summary] = await store.list({ application: 'shop-web' });
    if (!summary || summary.state.status === 'SUCCEEDED' || summary.state.status === 'FAILED') break;
    if (summary.state.status === 'AWAITING_APPROVAL') {
      await Promise.race([first.approve(summary.id, { target: 'prod', by: 'alice' }), crashing.crashed]);
      continue;
    }
    clock.runNext();
  }
  const crashed = crashing.isCrashed();
  const second = engineFor(store, clock, cluster.connector);
  await second.idle();
  const [summary] = await store.list({ application: 'shop-web' });
  const end = await driveToEnd(second, clock, summary?.id ?? '', { onAwaiting: (r) => second.approve(r.id, { target: 'prod', by: 'alice' }) });
  await second.close();
  return { status: end.state.status, cluster: essence(cluster), crashed };
}

describe.each(['canary', 'blueGreen'] as const)('%s: crash after any transition, resume, same cluster', (kind) => {
  it('ends as an uninterrupted run does', async () => {
    const baseline = await run(kind, Number.POSITIVE_INFINITY);
    expect(baseline.status).toBe('SUCCEEDED');
    expect(baseline.crashed).toBe(false);
    let crashes = 0;
    for (let n = 1; ; n++) {
      const resumed = await run(kind, n);
      if (!resumed.crashed) break; // n is past the last transition: every crash point is covered
      crashes++;
      expect(resumed.status, `crash after ${n} commits`).toBe('SUCCEEDED');
      expect(resumed.cluster, `crash after ${n} commits`).toEqual(baseline.cluster);
    }
    expect(crashes).toBeGreaterThan(5);
  });
});
