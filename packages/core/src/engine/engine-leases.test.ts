import { describe, expect, it } from 'vitest';
import type { DeployFile, StepConfig } from '../config/types.js';
import { FerryConflictError } from '../errors/index.js';
import { approvalPause, createRecordingCluster, driveToEnd, testDeployFile, testTarget, timedPause } from '../testing/index.js';
import { createHarness } from './engine-harness.test-support.js';

const canary = (steps: StepConfig[]) => ({ c: { kind: 'canary' as const, name: 'c', steps } });

function file(strategy: 'reject' | 'enqueueOne', steps: StepConfig[] = [approvalPause()]): DeployFile {
  const f = testDeployFile({ targets: { prod: testTarget('prod', { strategy: 'c' }) }, strategies: canary(steps) });
  f.config.deploymentConfig.ifDeploymentInProgress = { strategy };
  return f;
}

describe('engine: concurrency per application', () => {
  it('reject: a second start while one is in progress fails with deployment_in_progress', async () => {
    const h = createHarness();
    const first = await h.engine.start(file('reject'));
    const error = await h.engine.start(file('reject')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryConflictError);
    expect(error).toMatchObject({ code: 'deployment_in_progress', details: { deploymentId: first.id } });
    expect(await h.engine.list({ application: 'app' })).toHaveLength(1);
    await h.engine.close();
  });

  it('enqueueOne: only the newest request waits, and it starts when the current one ends', async () => {
    const h = createHarness();
    const first = await h.engine.start(file('enqueueOne'));
    const second = await h.engine.start(file('enqueueOne'));
    const third = await h.engine.start(file('enqueueOne'));
    expect(second.state.status).toBe('QUEUED');
    expect(third.state.status).toBe('QUEUED');
    await h.engine.idle();
    expect((await h.engine.get(second.id)).state).toMatchObject({ status: 'REJECTED', reason: `superseded by deployment ${third.id}` });
    expect((await h.engine.list({ status: ['QUEUED'] })).map((d) => d.id)).toEqual([third.id]);
    await h.engine.approve(first.id, { target: 'prod', by: 'a' });
    await h.engine.idle();
    expect((await h.engine.get(first.id)).state.status).toBe('SUCCEEDED');
    expect((await h.engine.get(third.id)).state.status).toBe('AWAITING_APPROVAL');
    const events = await h.engine.listEvents(third.id);
    expect(events.map((e) => e.type).slice(0, 2)).toEqual(['deployment.queued', 'deployment.started']);
    await h.engine.close();
  });

  it('cancelling a queued request ends it at once', async () => {
    const h = createHarness();
    await h.engine.start(file('enqueueOne'));
    const queued = await h.engine.start(file('enqueueOne'));
    await h.engine.cancel(queued.id, { by: 'me' });
    expect((await h.engine.get(queued.id)).state.status).toBe('CANCELLED');
    await h.engine.close();
  });
});

describe('engine: durability', () => {
  it('a restarted engine with the same name resumes at once, re-arming the persisted timer', async () => {
    const h = createHarness({ owner: 'hub-1' });
    const d = await h.engine.start(file('reject', [{ kind: 'setWeight', weight: 10 }, timedPause(300)]));
    await h.engine.idle();
    const wakeAt = (await h.engine.get(d.id)).state.wakeAt;
    expect(wakeAt).toBe(h.clock.now() + 300_000);
    // A crash: the engine is gone without releasing anything.
    const crashed = h.engine;
    await crashed.close();
    await h.store.claimLease(d.id, 'hub-1', 30_000, h.clock.now());
    const restarted = h.another({ owner: 'hub-1' });
    await restarted.idle();
    expect((await restarted.get(d.id)).lease?.owner).toBe('hub-1');
    h.clock.advance(299_000);
    await restarted.idle();
    expect((await restarted.get(d.id)).state.status).toBe('PAUSED');
    h.clock.advance(1_000);
    await restarted.idle();
    expect((await restarted.get(d.id)).state.status).toBe('SUCCEEDED');
    expect((await restarted.get(d.id)).state.endedAt).toBe(wakeAt);
    await restarted.close();
  });

  it('a second engine takes over a deployment whose lease expired; the first loses it', async () => {
    const h = createHarness({ leaseTtlMs: 30_000 });
    const d = await h.engine.start(file('reject', [{ kind: 'setWeight', weight: 10 }, timedPause(3600)]));
    await h.engine.idle();
    const first = h.engine;
    const secondCluster = createRecordingCluster();
    const second = h.another({ owner: 'hub-2', cluster: secondCluster });
    await second.idle();
    expect((await second.get(d.id)).lease?.owner).toBe(first.owner);
    // The first engine dies still holding its lease (close() released it, so take it back).
    await first.close();
    await h.store.claimLease(d.id, first.owner, 30_000, h.clock.now());
    for (let i = 0; i < 2; i++) {
      h.clock.advance(10_000);
      await second.idle();
      expect((await second.get(d.id)).lease?.owner).toBe(first.owner);
    }
    h.clock.advance(10_000);
    await second.idle();
    expect((await second.get(d.id)).lease?.owner).toBe('hub-2');
    await expect(h.store.update(d.id, () => undefined, { leaseOwner: first.owner })).rejects.toMatchObject({ code: 'lease_lost' });
    const end = await driveToEnd(second, h.clock, d.id);
    expect(end.state.status).toBe('SUCCEEDED');
    expect(secondCluster.lines()).toEqual(['apply prod-cluster ConfigMap/shop/app-weight {"weight":"100"}']);
    await second.close();
  });

  it('a person acting through another engine is picked up by the lease holder', async () => {
    const h = createHarness({ leaseTtlMs: 30_000 });
    const d = await h.engine.start(file('reject'));
    await h.engine.idle();
    const api = h.another({ owner: 'api-only' });
    await api.approve(d.id, { target: 'prod', by: 'alice' });
    await api.idle();
    expect((await h.engine.get(d.id)).state.status).toBe('AWAITING_APPROVAL');
    h.clock.advance(10_000);
    await h.engine.idle();
    expect((await h.engine.get(d.id)).state.status).toBe('SUCCEEDED');
    expect((await h.engine.get(d.id)).lease).toBeUndefined();
    await api.close();
    await h.engine.close();
  });

  it('close() releases every lease; redeploy starts a new deployment from a past one', async () => {
    const h = createHarness();
    const d = await h.engine.start(file('reject'), { context: { commit: 'abc' } });
    await h.engine.idle();
    expect((await h.engine.get(d.id)).lease?.owner).toBe(h.engine.owner);
    await h.engine.close();
    expect((await h.store.get(d.id))?.lease).toBeUndefined();
    await expect(h.engine.start(file('reject'))).rejects.toMatchObject({ code: 'engine_closed' });
    const next = h.another();
    await next.idle();
    await next.cancel(d.id, { by: 'me' });
    await next.idle();
    expect((await next.get(d.id)).state.status).toBe('CANCELLED');
    const again = await next.redeploy(d.id, { by: 'me' });
    expect(again.id).not.toBe(d.id);
    expect(again.spec).toMatchObject({ redeployOf: d.id, by: 'me', context: { commit: 'abc' } });
    await next.idle();
    expect((await next.get(again.id)).state.status).toBe('AWAITING_APPROVAL');
    await next.close();
  });
});
