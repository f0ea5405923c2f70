import { describe, expect, it } from 'vitest';
import type { StepConfig } from '../config/types.js';
import { FerryForbiddenError } from '../errors/index.js';
import { definePlugin } from '../plugins/define-plugin.js';
import { approvalPause, driveToEnd, testCanaryStrategy, testDeployFile, testTarget, timedPause } from '../testing/index.js';
import { createHarness } from './engine-harness.test-support.js';

const canary = (steps: StepConfig[]) => ({ c: { kind: 'canary' as const, name: 'c', steps } });
const webhook = (name: string, fail = false): StepConfig => ({ kind: 'runWebhook', name, context: fail ? { fail: 'yes' } : {} });
const statuses = (state: { targets: Record<string, { status: string }> }) => Object.fromEntries(Object.entries(state.targets).map(([k, v]) => [k, v.status]));

describe('engine: failures', () => {
  it('a failed beforeDeployment constraint: the target does not deploy and downstream is SKIPPED', async () => {
    const calls: string[] = [];
    const h = createHarness({ webhookCalls: calls });
    const file = testDeployFile({
      targets: {
        staging: testTarget('staging', { strategy: 'c', before: [webhook('ok'), webhook('gate', true)] }),
        prod: testTarget('prod', { strategy: 'c', dependsOn: ['staging'] }),
        other: testTarget('other', { strategy: 'c' }),
      },
      strategies: canary([{ kind: 'setWeight', weight: 50 }]),
    });
    const d = await h.engine.start(file);
    const end = await driveToEnd(h.engine, h.clock, d.id);
    expect(end.state.status).toBe('FAILED');
    expect(statuses(end.state)).toEqual({ staging: 'FAILED', prod: 'SKIPPED', other: 'SUCCEEDED' });
    expect(end.state.targets['staging']?.reason).toBe('step staging/before/1 failed: webhook gate failed');
    expect(h.cluster.operations.filter((o) => o.account === 'staging-cluster')).toEqual([]);
    expect(h.cluster.operations.filter((o) => o.account === 'prod-cluster')).toEqual([]);
    expect(end.state.reason).toContain('webhook gate failed');
    await h.engine.close();
  });

  it('a failed afterDeployment constraint: the target is NOT rolled back, downstream is SKIPPED', async () => {
    const h = createHarness();
    const file = testDeployFile({
      targets: {
        staging: testTarget('staging', { strategy: 'c', after: [webhook('verify', true)] }),
        prod: testTarget('prod', { strategy: 'c', dependsOn: ['staging'] }),
      },
      strategies: canary([{ kind: 'setWeight', weight: 50 }]),
    });
    const d = await h.engine.start(file);
    const end = await driveToEnd(h.engine, h.clock, d.id);
    expect(statuses(end.state)).toEqual({ staging: 'FAILED', prod: 'SKIPPED' });
    expect(end.state.status).toBe('FAILED');
    const events = await h.engine.listEvents(d.id);
    expect(events.some((e) => e.type === 'target.rollingBack')).toBe(false);
    expect(h.cluster.lines().at(-1)).toContain('{"weight":"100"}');
    await h.engine.close();
  });

  it('a failed strategy step rolls the target back (ROLLING_BACK → ROLLED_BACK), skips downstream, fails the deployment', async () => {
    const h = createHarness({ strategy: { failKinds: ['setWeight'] } });
    const file = testDeployFile({
      targets: { staging: testTarget('staging', { strategy: 'c' }), prod: testTarget('prod', { strategy: 'c', dependsOn: ['staging'] }) },
      strategies: canary([{ kind: 'setWeight', weight: 50 }]),
    });
    const seen: string[] = [];
    h.engine.events.on('target.rollingBack', (e) => seen.push(`rollingBack ${e.target}`));
    h.engine.events.on('target.rolledBack', (e) => seen.push(`rolledBack ${e.target}`));
    const d = await h.engine.start(file);
    const end = await driveToEnd(h.engine, h.clock, d.id);
    expect(statuses(end.state)).toEqual({ staging: 'ROLLED_BACK', prod: 'SKIPPED' });
    expect(end.state.status).toBe('FAILED');
    expect(seen).toEqual(['rollingBack staging', 'rolledBack staging']);
    expect(h.cluster.lines().at(-1)).toContain('{"weight":"0"}');
    await h.engine.close();
  });

  it('an unapproved pause past its expiration cancels the target and rolls it back', async () => {
    const h = createHarness();
    const file = testDeployFile({ targets: { prod: testTarget('prod', { strategy: 'c' }) }, strategies: canary([{ kind: 'setWeight', weight: 10 }, approvalPause({ expiresAfterSeconds: 3600 })]) });
    const d = await h.engine.start(file);
    await h.engine.idle();
    const waiting = await h.engine.get(d.id);
    expect(waiting.state.targets['prod']?.steps['prod/strategy/2']?.approval?.expiresAt).toBe(h.clock.now() + 3_600_000);
    expect(waiting.state.wakeAt).toBe(h.clock.now() + 3_600_000);
    h.clock.advance(3_599_000);
    await h.engine.idle();
    expect((await h.engine.get(d.id)).state.status).toBe('AWAITING_APPROVAL');
    h.clock.advance(1_000);
    await h.engine.idle();
    const end = await h.engine.get(d.id);
    expect(end.state.targets['prod']).toMatchObject({ status: 'ROLLED_BACK', reason: 'approval of prod/strategy/2 expired' });
    expect(end.state.targets['prod']?.steps['prod/strategy/2']?.status).toBe('CANCELLED');
    expect(end.state.status).toBe('FAILED');
    await h.engine.close();
  });

  it('approval needs one of the required roles; rejecting fails the step and rolls back', async () => {
    const h = createHarness();
    const file = testDeployFile({ targets: { prod: testTarget('prod', { strategy: 'c' }) }, strategies: canary([approvalPause({ roles: ['Release Manager', 'SRE'] })]) });
    const d = await h.engine.start(file);
    await h.engine.idle();
    await expect(h.engine.approve(d.id, { target: 'prod', by: 'eve', roles: ['Developer'] })).rejects.toBeInstanceOf(FerryForbiddenError);
    await expect(h.engine.approve(d.id, { target: 'nope', by: 'eve' })).rejects.toMatchObject({ code: 'target_not_found' });
    expect((await h.engine.get(d.id)).state.status).toBe('AWAITING_APPROVAL');
    await h.engine.reject(d.id, { target: 'prod', by: 'sam', roles: ['SRE'] });
    await h.engine.idle();
    const end = await h.engine.get(d.id);
    expect(end.state.targets['prod']?.status).toBe('ROLLED_BACK');
    expect(end.state.targets['prod']?.reason).toBe('step prod/strategy/1 failed: rejected by sam');
    const events = await h.engine.listEvents(d.id);
    expect(events.find((e) => e.type === 'approval.rejected')?.data).toMatchObject({ by: 'sam' });
    await h.engine.close();
  });

  it('a person rolls a running target back; the in-flight step is aborted', async () => {
    const h = createHarness();
    const file = testDeployFile({ targets: { prod: testTarget('prod', { strategy: 'c' }) }, strategies: canary([{ kind: 'setWeight', weight: 30 }, timedPause(600)]) });
    const d = await h.engine.start(file);
    await h.engine.idle();
    await h.engine.rollback(d.id, { target: 'prod', by: 'ops' });
    await h.engine.idle();
    const end = await h.engine.get(d.id);
    expect(end.state.targets['prod']).toMatchObject({ status: 'ROLLED_BACK', reason: 'rolled back by ops' });
    expect(end.state.status).toBe('FAILED');
    expect(h.cluster.lines().at(-1)).toContain('{"weight":"0"}');
    await expect(h.engine.rollback(d.id, { by: 'ops' })).rejects.toMatchObject({ code: 'deployment_ended' });
    await h.engine.close();
  });

  it('cancel aborts in-flight steps, rolls back running targets, cancels pending ones: CANCELLED', async () => {
    const h = createHarness();
    let aborted = false;
    let running!: () => void;
    const webhookRunning = new Promise<void>((resolve) => (running = resolve));
    const engine = h.another({
      plugins: [
        definePlugin({
          id: 'slow',
          register(ctx) {
            ctx.strategies.add(testCanaryStrategy());
            ctx.clusterConnectors.add(h.cluster.connector);
            ctx.stepKinds.add({
              specificationVersion: 'v1',
              kind: 'runWebhook',
              run: (c) =>
                new Promise((_, reject) => {
                  running();
                  c.signal.addEventListener('abort', () => {
                    aborted = true;
                    reject(c.signal.reason);
                  });
                }),
            });
          },
        }),
      ],
    });
    const file = testDeployFile({
      targets: { staging: testTarget('staging', { strategy: 'c' }), prod: testTarget('prod', { strategy: 'c', dependsOn: ['staging'] }) },
      strategies: canary([{ kind: 'setWeight', weight: 30 }, webhook('slow')]),
    });
    const d = await engine.start(file);
    await webhookRunning;
    expect((await engine.get(d.id)).state.targets['staging']?.steps['staging/strategy/2']?.status).toBe('RUNNING');
    await engine.cancel(d.id, { by: 'ops' });
    await engine.idle();
    const end = await engine.get(d.id);
    expect(aborted).toBe(true);
    expect(end.state.status).toBe('CANCELLED');
    expect(statuses(end.state)).toEqual({ staging: 'ROLLED_BACK', prod: 'CANCELLED' });
    expect(end.state.targets['staging']?.steps['staging/strategy/2']?.status).toBe('CANCELLED');
    await expect(engine.cancel(d.id, { by: 'ops' })).rejects.toMatchObject({ code: 'deployment_ended' });
    await engine.close();
    await h.engine.close();
  });

  it('a pause before deployment that is cancelled leaves the target CANCELLED without rollback', async () => {
    const h = createHarness();
    const file = testDeployFile({ targets: { prod: testTarget('prod', { strategy: 'c', before: [timedPause(60)] }) }, strategies: canary([]) });
    const d = await h.engine.start(file);
    await h.engine.idle();
    await h.engine.cancel(d.id, { by: 'ops' });
    await h.engine.idle();
    const end = await h.engine.get(d.id);
    expect(end.state.status).toBe('CANCELLED');
    expect(end.state.targets['prod']?.status).toBe('CANCELLED');
    expect(h.cluster.operations).toEqual([]);
    await h.engine.close();
  });
});

