import type { DeploymentRecordV1, EngineEventV1, FerryEngine, NewEventV1 } from '@ferry/core';
import { MemoryStore } from '@ferry/core/testing';
import { EventEmitter } from 'eventemitter3';
import { afterEach, describe, expect, it } from 'vitest';
import { EventFanout, type EventWatcher } from './event-fanout.js';

/**
 * The fan-out over a real in-memory store: events this replica emits arrive through the
 * emitter, events only written to the store (another replica's) through the shared poller.
 */
function setUp(pollIntervalMs = 20) {
  const store = new MemoryStore();
  const events = new EventEmitter() as unknown as FerryEngine['events'];
  let reads = 0;
  const engine = {
    events,
    listEvents: (id: string, options?: { afterSeq?: number; limit?: number }) => {
      reads += 1;
      return store.listEvents(id, options);
    },
  };
  const fanout = new EventFanout(engine, { pollIntervalMs });
  const created = new Set<string>();
  const append = async (deploymentId: string, type: string): Promise<EngineEventV1> => {
    if (!created.has(deploymentId)) {
      created.add(deploymentId);
      await store.create(minimalRecord(deploymentId), { ifInProgress: 'reject', now: Date.now() });
    }
    return store.appendEvent({ deploymentId, type, at: Date.now(), data: {} } satisfies NewEventV1);
  };
  return { store, events, fanout, append, reads: () => reads };
}

/** A deployment as far as its event log needs one. */
function minimalRecord(id: string): DeploymentRecordV1 {
  const now = Date.now();
  return {
    id,
    application: `app-${id}`,
    createdAt: now,
    spec: { file: {} as DeploymentRecordV1['spec']['file'], context: {}, plan: { application: `app-${id}`, targets: [] } },
    state: { status: 'RUNNING', version: 0, updatedAt: now, targets: {} },
  };
}

function collector(): EventWatcher & { seen: number[] } {
  const seen: number[] = [];
  return { seen, deliver: (event) => seen.push(event.seq) };
}

const until = async (check: () => boolean, timeoutMs = 3000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

let cleanup: Array<() => void> = [];
afterEach(() => {
  cleanup.forEach((fn) => fn());
  cleanup = [];
});

describe('EventFanout', () => {
  it('delivers emitted events at once, in order, to every watcher', async () => {
    const t = setUp(60_000);
    cleanup.push(() => t.fanout.close());
    const a = collector();
    const b = collector();
    t.fanout.join('d1', a, 0);
    t.fanout.join('d1', b, 0);
    for (let i = 0; i < 3; i++) t.events.emit('*', await t.append('d1', 'step.started'));
    expect(a.seen).toEqual([1, 2, 3]);
    expect(b.seen).toEqual([1, 2, 3]);
    expect(t.reads()).toBe(0);
  });

  it("picks up events only written to the store (another replica's) with one poller per deployment", async () => {
    const t = setUp(20);
    cleanup.push(() => t.fanout.close());
    const watchers = Array.from({ length: 1000 }, () => collector());
    watchers.forEach((w) => t.fanout.join('d1', w, 0));
    await t.append('d1', 'deployment.started');
    await t.append('d1', 'step.started');
    await until(() => watchers.every((w) => w.seen.length === 2));
    const readsAfterDelivery = t.reads();
    await new Promise((r) => setTimeout(r, 200));
    // ~10 ticks of 20 ms: one read per tick for the deployment, not one per watcher.
    const ticks = t.reads() - readsAfterDelivery;
    expect(ticks).toBeGreaterThan(0);
    expect(ticks).toBeLessThan(30);
    expect(watchers.every((w) => w.seen.join() === '1,2')).toBe(true);
    expect(t.fanout.watchedDeployments).toBe(1);
  });

  it('never repeats an event that arrives both by the emitter and by the poller, and fills gaps from the store', async () => {
    const t = setUp(10);
    cleanup.push(() => t.fanout.close());
    const w = collector();
    t.fanout.join('d1', w, 0);
    await t.append('d1', 'a'); // another replica: store only
    await t.append('d1', 'b');
    const third = await t.append('d1', 'c');
    t.events.emit('*', third); // a gap (1 and 2 not seen yet): the store is read at once
    await until(() => w.seen.length === 3);
    t.events.emit('*', third);
    await new Promise((r) => setTimeout(r, 50));
    expect(w.seen).toEqual([1, 2, 3]);
  });

  it('starts a new channel after the seq its first watcher has already seen', async () => {
    const t = setUp(10);
    cleanup.push(() => t.fanout.close());
    await t.append('d1', 'a');
    await t.append('d1', 'b');
    const w = collector();
    t.fanout.join('d1', w, 2);
    await t.append('d1', 'c');
    await until(() => w.seen.length === 1);
    expect(w.seen).toEqual([3]);
  });

  it('stops polling a deployment when its last watcher leaves', async () => {
    const t = setUp(10);
    cleanup.push(() => t.fanout.close());
    const leaveA = t.fanout.join('d1', collector(), 0);
    const leaveB = t.fanout.join('d2', collector(), 0);
    expect(t.fanout.watchedDeployments).toBe(2);
    leaveA();
    leaveB();
    expect(t.fanout.watchedDeployments).toBe(0);
    const before = t.reads();
    await new Promise((r) => setTimeout(r, 60));
    expect(t.reads()).toBe(before);
  });
});
