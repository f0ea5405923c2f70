import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import {
  FerryConflictError,
  FerryNotFoundError,
  type DeploymentRecordV1,
  type DeploymentSpecV1,
  type DeploymentStateV1,
  type StoreV1,
} from '@ferry/core';

/**
 * The behaviour every StoreV1 must have, run against each implementation (MemoryStore,
 * SQLite, PostgreSQL). A store that passes it can carry the engine.
 */
export function describeStoreConformance(name: string, open: () => Promise<StoreV1 & { close?(): Promise<void> }>): void {
  describe(`StoreV1 conformance: ${name}`, () => {
    let store: StoreV1 & { close?(): Promise<void> };
    let ids = 0;
    const app = () => `app-${process.pid}-${Date.now()}-${ids++}`;

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close?.();
    });

    it('round-trips a record through create and get', async () => {
      const record = newRecord('d1', app(), 1000);
      const { record: created, superseded, events } = await store.create(record, {
        ifInProgress: 'reject',
        now: 1000,
        events: [{ deploymentId: 'd1', type: 'deployment.created', at: 1000, data: { by: 'alice' } }],
      });
      expect(created.state.status).toBe('RUNNING');
      expect(superseded).toEqual([]);
      expect(events).toEqual([{ deploymentId: 'd1', type: 'deployment.created', at: 1000, data: { by: 'alice' }, seq: 1 }]);
      expect(await store.get('d1')).toEqual(record);
      expect(await store.get('missing')).toBeNull();
    });

    it('refuses a second record with the same id', async () => {
      const application = app();
      await store.create(newRecord('same', application, 1), { ifInProgress: 'enqueueOne', now: 1 });
      await expect(store.create(newRecord('same', app(), 2), { ifInProgress: 'enqueueOne', now: 2 })).rejects.toMatchObject({
        code: 'already_exists',
      });
    });

    it('rejects a second deployment of an application in flight, but not of another', async () => {
      const application = app();
      await store.create(newRecord('a1', application, 1), { ifInProgress: 'reject', now: 1 });
      const error = await store.create(newRecord('a2', application, 2), { ifInProgress: 'reject', now: 2 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FerryConflictError);
      expect(error).toMatchObject({ code: 'deployment_in_progress', details: { deploymentId: 'a1' } });
      expect(await store.get('a2')).toBeNull();
      const other = await store.create(newRecord('b1', app(), 3), { ifInProgress: 'reject', now: 3 });
      expect(other.record.state.status).toBe('RUNNING');
    });

    it('keeps only the newest queued request with enqueueOne', async () => {
      const application = app();
      await store.create(newRecord('q1', application, 1), { ifInProgress: 'enqueueOne', now: 1 });
      const second = await store.create(newRecord('q2', application, 2), { ifInProgress: 'enqueueOne', now: 2 });
      expect(second.record.state.status).toBe('QUEUED');
      const third = await store.create(newRecord('q3', application, 3), { ifInProgress: 'enqueueOne', now: 3 });
      expect(third.record.state.status).toBe('QUEUED');
      expect(third.superseded).toEqual(['q2']);
      const dropped = await store.get('q2');
      expect(dropped?.state).toMatchObject({ status: 'REJECTED', reason: 'superseded by deployment q3', endedAt: 3, version: 2 });
    });

    it('starts a new deployment at once when the previous one ended', async () => {
      const application = app();
      await store.create(newRecord('e1', application, 1), { ifInProgress: 'reject', now: 1 });
      await store.update('e1', (s) => {
        s.status = 'SUCCEEDED';
      });
      const next = await store.create(newRecord('e2', application, 2), { ifInProgress: 'reject', now: 2 });
      expect(next.record.state.status).toBe('RUNNING');
    });

    it('lists newest first, filtered, limited, without the spec', async () => {
      const application = app();
      await store.create(newRecord('l1', application, 10), { ifInProgress: 'enqueueOne', now: 10 });
      await store.create(newRecord('l2', application, 20), { ifInProgress: 'enqueueOne', now: 20 });
      await store.create(newRecord('l3', app(), 30), { ifInProgress: 'enqueueOne', now: 30 });
      const mine = await store.list({ application });
      expect(mine.map((d) => d.id)).toEqual(['l2', 'l1']);
      expect(mine[0]).not.toHaveProperty('spec');
      expect((await store.list({ application, status: ['QUEUED'] })).map((d) => d.id)).toEqual(['l2']);
      expect((await store.list({ application, limit: 1 })).map((d) => d.id)).toEqual(['l2']);
      expect(await store.list({ application, status: [] })).toEqual([]);
    });

    it('keeps tenants apart: the per-application rule, lists and queued claims hold per tenant', async () => {
      const application = app();
      const inTenant = (id: string, tenant: string | undefined, at: number) => ({ ...newRecord(id, application, at), ...(tenant ? { tenant } : {}) });
      await store.create(inTenant('t-default', undefined, 1), { ifInProgress: 'reject', now: 1 });
      const other = await store.create(inTenant('t-acme', 'acme', 2), { ifInProgress: 'reject', now: 2 });
      expect(other.record.state.status).toBe('RUNNING');
      await expect(store.create(inTenant('t-acme-2', 'acme', 3), { ifInProgress: 'reject', now: 3 })).rejects.toMatchObject({ code: 'deployment_in_progress' });
      const queued = await store.create(inTenant('t-acme-q', 'acme', 4), { ifInProgress: 'enqueueOne', now: 4 });
      expect(queued.record.state.status).toBe('QUEUED');

      expect((await store.list({ application, tenant: 'acme' })).map((d) => d.id)).toEqual(['t-acme-q', 't-acme']);
      expect((await store.list({ application, tenant: 'default' })).map((d) => d.id)).toEqual(['t-default']);
      expect((await store.get('t-acme'))?.tenant).toBe('acme');
      expect(await store.get('t-default')).not.toHaveProperty('tenant');

      // The default tenant's deployment ending frees nothing for acme's queued one.
      await store.update('t-default', (s) => {
        s.status = 'SUCCEEDED';
      });
      expect(await store.listClaimable(10)).not.toContain('t-acme-q');
      await store.update('t-acme', (s) => {
        s.status = 'SUCCEEDED';
      });
      expect(await store.listClaimable(10)).toContain('t-acme-q');
    });

    it('updates state transactionally with versions and events', async () => {
      await store.create(newRecord('u1', app(), 1), { ifInProgress: 'reject', now: 1 });
      const first = await store.update('u1', (s) => {
        s.status = 'PAUSED';
        s.wakeAt = 500;
        return { events: [{ deploymentId: 'u1', type: 'step.waiting', at: 5, target: 'prod', stepId: 'prod/strategy/1', data: { wakeAt: 500 } }] };
      });
      expect(first.state).toMatchObject({ status: 'PAUSED', version: 2, wakeAt: 500 });
      expect(first.events).toEqual([
        { deploymentId: 'u1', type: 'step.waiting', at: 5, target: 'prod', stepId: 'prod/strategy/1', data: { wakeAt: 500 }, seq: 1 },
      ]);
      const noop = await store.update('u1', () => ({ noop: true }));
      expect(noop.state.version).toBe(2);
      await expect(
        store.update('u1', (s) => {
          s.status = 'FAILED';
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      const stored = await store.get('u1');
      expect(stored?.state).toMatchObject({ status: 'PAUSED', version: 2 });
      expect(await store.listEvents('u1')).toHaveLength(1);
      await expect(store.update('nope', () => undefined)).rejects.toBeInstanceOf(FerryNotFoundError);
    });

    it('refuses an update under a lease the caller does not hold', async () => {
      await store.create(newRecord('lease-u', app(), 1), { ifInProgress: 'reject', now: 1 });
      await expect(store.update('lease-u', () => undefined, { leaseOwner: 'engine-a' })).rejects.toMatchObject({ code: 'lease_lost' });
      expect(await store.claimLease('lease-u', 'engine-a', 1000, 1)).toBe(true);
      await expect(store.update('lease-u', () => undefined, { leaseOwner: 'engine-b' })).rejects.toMatchObject({ code: 'lease_lost' });
      const ok = await store.update('lease-u', (s) => void (s.reason = 'mine'), { leaseOwner: 'engine-a' });
      expect(ok.state.reason).toBe('mine');
    });

    it('numbers events from 1 without gaps across appends and updates', async () => {
      await store.create(newRecord('ev', app(), 1), {
        ifInProgress: 'reject',
        now: 1,
        events: [{ deploymentId: 'ev', type: 'a', at: 1, data: {} }],
      });
      await store.appendEvent({ deploymentId: 'ev', type: 'b', at: 2, data: { n: 2 } });
      await store.update('ev', () => ({
        events: [
          { deploymentId: 'ev', type: 'c', at: 3, data: {} },
          { deploymentId: 'ev', type: 'd', at: 3, data: {} },
        ],
      }));
      await store.appendEvent({ deploymentId: 'ev', type: 'e', at: 4, target: 't', data: { nested: { list: [1, 'x', null] } } });
      const all = await store.listEvents('ev');
      expect(all.map((e) => [e.seq, e.type])).toEqual([
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
        [4, 'd'],
        [5, 'e'],
      ]);
      expect(all[4]).toEqual({ seq: 5, deploymentId: 'ev', type: 'e', at: 4, target: 't', data: { nested: { list: [1, 'x', null] } } });
      expect((await store.listEvents('ev', { afterSeq: 3 })).map((e) => e.seq)).toEqual([4, 5]);
      expect((await store.listEvents('ev', { afterSeq: 1, limit: 2 })).map((e) => e.seq)).toEqual([2, 3]);
      await expect(store.listEvents('missing')).rejects.toBeInstanceOf(FerryNotFoundError);
    });

    it('hands out leases to one owner at a time until they expire', async () => {
      await store.create(newRecord('ls', app(), 1), { ifInProgress: 'reject', now: 1 });
      expect(await store.claimLease('ls', 'a', 100, 1000)).toBe(true);
      expect(await store.claimLease('ls', 'b', 100, 1050)).toBe(false);
      expect(await store.claimLease('ls', 'a', 100, 1050)).toBe(true);
      expect(await store.renewLease('ls', 'a', 100, 1100)).toBe(true);
      expect(await store.renewLease('ls', 'b', 100, 1100)).toBe(false);
      expect(await store.claimLease('ls', 'b', 100, 1199)).toBe(false);
      expect(await store.claimLease('ls', 'b', 100, 1200)).toBe(true);
      await store.releaseLease('ls', 'a');
      expect((await store.get('ls'))?.lease).toEqual({ owner: 'b', expiresAt: 1300 });
      await store.releaseLease('ls', 'b');
      expect((await store.get('ls'))?.lease).toBeUndefined();
      await expect(store.claimLease('missing', 'a', 100, 1)).rejects.toBeInstanceOf(FerryNotFoundError);
    });

    it('lists claimable deployments: unleased, expired or own, and queued ones only when their application is free', async () => {
      const application = app();
      await store.create(newRecord('c1', application, 1), { ifInProgress: 'enqueueOne', now: 1 });
      await store.create(newRecord('c2', application, 2), { ifInProgress: 'enqueueOne', now: 2 });
      await store.create(newRecord('c3', app(), 3), { ifInProgress: 'enqueueOne', now: 3 });
      await store.create(newRecord('c4', app(), 4), { ifInProgress: 'enqueueOne', now: 4 });
      await store.update('c4', (s) => void (s.status = 'FAILED'));
      await store.claimLease('c3', 'other', 1000, 0);
      const claimable = (now: number, owner?: string) =>
        store.listClaimable(now, owner ? { owner } : {}).then((list) => list.filter((id) => /^c\d$/.test(id)));
      expect(await claimable(10)).toEqual(['c1']);
      expect(await claimable(10, 'other')).toEqual(['c1', 'c3']);
      expect(await claimable(1000)).toEqual(['c1', 'c3']);
      await store.update('c1', (s) => void (s.status = 'SUCCEEDED'));
      expect(await claimable(10)).toEqual(['c2']);
    });

    it('lists due deployments by wake time, with the live lease holder', async () => {
      await store.create(newRecord('w1', app(), 1), { ifInProgress: 'reject', now: 1 });
      await store.create(newRecord('w2', app(), 2), { ifInProgress: 'reject', now: 2 });
      await store.create(newRecord('w3', app(), 3), { ifInProgress: 'reject', now: 3 });
      await store.update('w1', (s) => void (s.wakeAt = 300));
      await store.update('w2', (s) => void (s.wakeAt = 200));
      await store.update('w3', (s) => {
        s.wakeAt = 100;
        s.status = 'CANCELLED';
      });
      await store.claimLease('w1', 'engine', 1000, 0);
      const due = (await store.listDue(250)).filter((d) => /^w\d$/.test(d.id));
      expect(due).toEqual([{ id: 'w2', wakeAt: 200 }]);
      const later = (await store.listDue(400)).filter((d) => /^w\d$/.test(d.id));
      expect(later).toEqual([
        { id: 'w2', wakeAt: 200 },
        { id: 'w1', wakeAt: 300, leaseOwner: 'engine' },
      ]);
    });

    it('loses no update under concurrent writers', async () => {
      await store.create(newRecord('race', app(), 1), { ifInProgress: 'reject', now: 1 });
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.update('race', (s) => {
            s.reason = String(Number(s.reason ?? '0') + 1);
            return { events: [{ deploymentId: 'race', type: 'tick', at: i, data: { i } }] };
          }),
        ),
      );
      const final = await store.get('race');
      expect(final?.state.reason).toBe('20');
      expect(final?.state.version).toBe(21);
      expect((await store.listEvents('race')).map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('lets exactly one of several concurrent starts of one application through', async () => {
      const application = app();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => store.create(newRecord(`p${i}-${application}`, application, i), { ifInProgress: 'reject', now: i })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
        expect(r.reason).toMatchObject({ code: 'deployment_in_progress' });
      }
    });
  });
}

function newRecord(id: string, application: string, createdAt: number): DeploymentRecordV1 {
  const state: DeploymentStateV1 = {
    status: 'RUNNING',
    version: 1,
    updatedAt: createdAt,
    startedAt: createdAt,
    targets: { prod: { status: 'PENDING', stage: 0, steps: {} } },
  };
  // The store never interprets the spec; a small document with nested values is enough.
  const spec = {
    file: { path: '/work/deploy.yml', config: { application, targets: { prod: { namespace: 'shop' } } }, manifests: [], warnings: [] },
    context: { commit: 'abc123' },
    plan: { application, targets: [] },
    by: 'alice',
  } as unknown as DeploymentSpecV1;
  return { id, application, createdAt, spec, state };
}
