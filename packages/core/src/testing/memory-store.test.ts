import { describe, expect, it } from 'vitest';
import { initialState } from '../engine/initial-state.js';
import type { DeploymentRecordV1 } from '../store/contracts.js';
import { MemoryStore } from './memory-store.js';
import { testDeployFile, testTarget } from './test-deploy-file.js';

const T0 = 1_000_000;

function record(id: string, application = 'app', createdAt = T0): DeploymentRecordV1 {
  const file = testDeployFile({ application, targets: { dev: testTarget('dev') } });
  const plan = { application, targets: [{ name: 'dev', account: 'a', namespace: 'n', dependsOn: [], stages: [] }] };
  return { id, application, createdAt, spec: { file, context: {}, plan }, state: initialState(plan, createdAt) };
}

describe('MemoryStore', () => {
  it('rejects a second active deployment of an application with deployment_in_progress', async () => {
    const store = new MemoryStore();
    await store.create(record('a'), { ifInProgress: 'reject', now: T0 });
    await expect(store.create(record('b'), { ifInProgress: 'reject', now: T0 })).rejects.toMatchObject({ code: 'deployment_in_progress' });
    await store.create(record('c', 'other'), { ifInProgress: 'reject', now: T0 });
    expect((await store.list()).map((d) => d.id).sort()).toEqual(['a', 'c']);
  });

  it('enqueueOne keeps only the newest queued request', async () => {
    const store = new MemoryStore();
    await store.create(record('a'), { ifInProgress: 'enqueueOne', now: T0 });
    const b = await store.create(record('b', 'app', T0 + 1), { ifInProgress: 'enqueueOne', now: T0 + 1 });
    const c = await store.create(record('c', 'app', T0 + 2), { ifInProgress: 'enqueueOne', now: T0 + 2 });
    expect(b.record.state.status).toBe('QUEUED');
    expect(c.superseded).toEqual(['b']);
    expect((await store.get('b'))?.state.status).toBe('REJECTED');
    expect((await store.list({ application: 'app', status: ['QUEUED'] })).map((d) => d.id)).toEqual(['c']);
    // Not claimable while "a" is active; claimable once it ends.
    expect(await store.listClaimable(T0)).toEqual(['a']);
    await store.update('a', (s) => {
      s.status = 'SUCCEEDED';
    });
    expect(await store.listClaimable(T0)).toEqual(['c']);
  });

  it('hands out copies: nobody shares a reference with the store', async () => {
    const store = new MemoryStore();
    const input = record('a');
    await store.create(input, { ifInProgress: 'reject', now: T0 });
    input.state.status = 'FAILED';
    const read = await store.get('a');
    read!.state.status = 'CANCELLED';
    expect((await store.get('a'))?.state.status).toBe('RUNNING');
  });

  it('updates atomically with a version, appends events with seq, enforces the lease and aborts on a throw', async () => {
    const store = new MemoryStore();
    await store.create(record('a'), { ifInProgress: 'reject', now: T0 });
    expect(await store.claimLease('a', 'e1', 1000, T0)).toBe(true);
    const { state, events } = await store.update(
      'a',
      (s) => {
        s.status = 'PAUSED';
        return { events: [{ deploymentId: 'a', type: 'x', at: T0, data: {} }] };
      },
      { leaseOwner: 'e1' },
    );
    expect(state).toMatchObject({ status: 'PAUSED', version: 1 });
    expect(events.map((e) => e.seq)).toEqual([1]);
    expect((await store.appendEvent({ deploymentId: 'a', type: 'y', at: T0, data: {} })).seq).toBe(2);
    expect((await store.listEvents('a', { afterSeq: 1 })).map((e) => e.type)).toEqual(['y']);
    await expect(store.update('a', () => undefined, { leaseOwner: 'e2' })).rejects.toMatchObject({ code: 'lease_lost' });
    await expect(
      store.update('a', (s) => {
        s.status = 'FAILED';
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    const noop = await store.update('a', () => ({ noop: true }));
    expect(noop.state).toMatchObject({ status: 'PAUSED', version: 1 });
  });

  it('leases: claim, refuse while live, take over when expired, renew, release; due timers', async () => {
    const store = new MemoryStore();
    await store.create(record('a'), { ifInProgress: 'reject', now: T0 });
    expect(await store.claimLease('a', 'e1', 1000, T0)).toBe(true);
    expect(await store.claimLease('a', 'e2', 1000, T0 + 999)).toBe(false);
    expect(await store.listClaimable(T0 + 999)).toEqual([]);
    expect(await store.listClaimable(T0 + 999, { owner: 'e1' })).toEqual(['a']);
    expect(await store.renewLease('a', 'e1', 1000, T0 + 500)).toBe(true);
    expect(await store.claimLease('a', 'e2', 1000, T0 + 1499)).toBe(false);
    expect(await store.claimLease('a', 'e2', 1000, T0 + 1500)).toBe(true);
    expect(await store.renewLease('a', 'e1', 1000, T0 + 1500)).toBe(false);
    await store.releaseLease('a', 'e1');
    expect((await store.get('a'))?.lease?.owner).toBe('e2');
    await store.releaseLease('a', 'e2');
    expect((await store.get('a'))?.lease).toBeUndefined();
    await store.update('a', (s) => {
      s.wakeAt = T0 + 5000;
    });
    expect(await store.listDue(T0 + 4999)).toEqual([]);
    expect(await store.listDue(T0 + 5000)).toEqual([{ id: 'a', wakeAt: T0 + 5000 }]);
  });
});
