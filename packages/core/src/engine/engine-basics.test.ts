import { describe, expect, it } from 'vitest';
import type { KubeObject, StepConfig } from '../config/types.js';
import { definePlugin } from '../plugins/define-plugin.js';
import { approvalPause, driveToEnd, testDeployFile, testTarget, timedPause } from '../testing/index.js';
import { createHarness } from './engine-harness.test-support.js';

const canary = (steps: StepConfig[]) => ({
  c: { kind: 'canary' as const, name: 'c', steps },
});

describe('engine: a canary target', () => {
  it('runs every step in order, persists each transition and emits the same events it stores', async () => {
    const h = createHarness();
    const emitted: string[] = [];
    h.engine.events.on('*', (e) => emitted.push(`${e.seq} ${e.type}`));
    const file = testDeployFile({
      targets: { prod: testTarget('prod', { strategy: 'c' }) },
      strategies: canary([{ kind: 'setWeight', weight: 25 }, timedPause(30), approvalPause(), { kind: 'setWeight', weight: 50 }]),
    });
    const started = await h.engine.start(file, { by: 'ci' });
    expect(started.spec.by).toBe('ci');
    await h.engine.idle();
    expect((await h.engine.get(started.id)).state.status).toBe('PAUSED');
    expect((await h.engine.get(started.id)).state.targets['prod']?.status).toBe('PAUSED');
    h.clock.advance(29_000);
    await h.engine.idle();
    expect((await h.engine.get(started.id)).state.targets['prod']?.steps['prod/strategy/2']?.status).toBe('WAITING');
    h.clock.advance(1_000);
    await h.engine.idle();
    const awaiting = await h.engine.get(started.id);
    expect(awaiting.state.status).toBe('AWAITING_APPROVAL');
    expect(awaiting.state.targets['prod']?.status).toBe('AWAITING_APPROVAL');
    await h.engine.approve(started.id, { target: 'prod', by: 'alice' });
    await h.engine.idle();
    const done = await h.engine.get(started.id);
    expect(done.state.status).toBe('SUCCEEDED');
    expect(done.state.targets['prod']?.strategyState).toEqual({ replicaSetName: 'app-canary', weight: 100 });
    expect(h.cluster.lines().map((l) => l.split(' ').slice(0, 3).join(' ') + (l.includes('weight') ? ` ${l.split('"weight":')[1]}` : ''))).toEqual([
      'apply prod-cluster Deployment/shop/web',
      'apply prod-cluster ConfigMap/shop/app-weight "25"}',
      'apply prod-cluster ConfigMap/shop/app-weight "50"}',
      'apply prod-cluster ConfigMap/shop/app-weight "100"}',
    ]);
    const stored = await h.engine.listEvents(started.id);
    expect(stored.map((e) => `${e.seq} ${e.type}`)).toEqual(emitted);
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(stored.find((e) => e.type === 'approval.granted')?.data).toMatchObject({ by: 'alice', kind: 'pause' });
    await h.engine.close();
  });

  it('skips a timed pause when a person asks, and refuses to skip when nothing is paused', async () => {
    const h = createHarness();
    const file = testDeployFile({ targets: { prod: testTarget('prod', { strategy: 'c' }) }, strategies: canary([timedPause(3600)]) });
    const d = await h.engine.start(file);
    await h.engine.idle();
    await h.engine.skip(d.id, { target: 'prod', by: 'bob' });
    await h.engine.idle();
    const done = await h.engine.get(d.id);
    expect(done.state.status).toBe('SUCCEEDED');
    expect(done.state.endedAt).toBe(h.clock.now());
    await expect(h.engine.skip(d.id, { target: 'prod', by: 'bob' })).rejects.toMatchObject({ code: 'deployment_ended' });
    await h.engine.close();
  });

  it('skips the remaining strategy steps except those that always run when a step asks', async () => {
    const h = createHarness({ strategy: { firstDeployment: true } });
    const file = testDeployFile({
      targets: { prod: testTarget('prod', { strategy: 'c' }) },
      strategies: canary([{ kind: 'setWeight', weight: 25 }, approvalPause()]),
    });
    const d = await h.engine.start(file);
    await h.engine.idle();
    const done = await h.engine.get(d.id);
    expect(done.state.status).toBe('SUCCEEDED');
    const steps = done.state.targets['prod']?.steps ?? {};
    expect(Object.values(steps).map((s) => s.status)).toEqual(['SUCCEEDED', 'SKIPPED', 'SKIPPED', 'SUCCEEDED']);
    await h.engine.close();
  });

  it('applies a strategy-less target with the built-in apply step, CRDs first, in the target namespace', async () => {
    const h = createHarness();
    const crd: KubeObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.acme.io' }, spec: { group: 'acme.io' } };
    const widget: KubeObject = { apiVersion: 'acme.io/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'elsewhere' }, spec: { size: 2 } };
    const config: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } };
    const file = testDeployFile({ targets: { dev: testTarget('dev') } }, [widget, config, crd]);
    const d = await h.engine.start(file);
    await h.engine.idle();
    expect((await h.engine.get(d.id)).state.status).toBe('SUCCEEDED');
    expect(h.cluster.operations.map((o) => `${o.kind}/${o.namespace ?? '-'}/${o.name}`)).toEqual([
      'CustomResourceDefinition/-/widgets.acme.io',
      'Widget/shop/w1',
      'ConfigMap/shop/cfg',
    ]);
    await h.engine.close();
  });

  it('runs a 4-target DAG: dependencies first, independent targets in parallel', async () => {
    const h = createHarness();
    const file = testDeployFile({
      targets: {
        dev: testTarget('dev', { strategy: 'c' }),
        staging: testTarget('staging', { strategy: 'c', dependsOn: ['dev'] }),
        'prod-east': testTarget('prod-east', { strategy: 'c', dependsOn: ['staging'] }),
        'prod-west': testTarget('prod-west', { strategy: 'c', dependsOn: ['staging'] }),
      },
      strategies: canary([timedPause(10)]),
    });
    const d = await h.engine.start(file);
    const started: Array<[string, number]> = [];
    h.engine.events.on('target.started', (e) => started.push([e.target ?? '', e.at]));
    const end = await driveToEnd(h.engine, h.clock, d.id);
    expect(end.state.status).toBe('SUCCEEDED');
    const t0 = end.state.startedAt ?? 0;
    expect(started.map(([name, at]) => [name, at - t0])).toEqual([
      ['staging', 10_000],
      ['prod-east', 20_000],
      ['prod-west', 20_000],
    ]);
    expect(end.state.targets['prod-west']?.endedAt).toBe(end.state.targets['prod-east']?.endedAt);
    expect(end.state.endedAt! - t0).toBe(30_000);
    await h.engine.close();
  });

  it('runs constraint steps of one list in parallel and hands custom step configs validated by their plugin', async () => {
    const h = createHarness();
    const seen: unknown[] = [];
    const engine = h.another({
      plugins: [
        definePlugin({
          id: 'acme.smoke',
          register(ctx) {
            ctx.stepKinds.add({
              specificationVersion: 'v1',
              kind: 'smokeTest',
              validate: (config) => ({ ...(config as object), checked: true }),
              async run(c) {
                seen.push(c.step.config);
                return { status: 'succeeded' };
              },
            });
            ctx.clusterConnectors.add(h.cluster.connector);
          },
        }),
      ],
    });
    const file = testDeployFile({
      targets: { dev: testTarget('dev', { before: [timedPause(5), timedPause(8), { kind: 'custom', stepKind: 'smokeTest', config: { url: '/health' } }] }) },
    });
    const d = await engine.start(file);
    const end = await driveToEnd(engine, h.clock, d.id);
    expect(end.state.status).toBe('SUCCEEDED');
    const before = end.state.targets['dev']?.steps ?? {};
    expect([before['dev/before/0']?.endedAt, before['dev/before/1']?.endedAt, before['dev/before/2']?.endedAt].map((t) => (t ?? 0) - (end.state.startedAt ?? 0))).toEqual([5_000, 8_000, 0]);
    expect(seen).toEqual([{ url: '/health', checked: true }]);
    await engine.close();
    await h.engine.close();
  });
});
