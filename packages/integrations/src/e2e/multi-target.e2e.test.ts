import type { DeploymentStateV1, FerryEngine } from '@ferry/core';
import { createTestNamespace, devcluster, type TestNamespace } from '@ferry/devcluster/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookCallbackServer, type WebhookCallbackServer } from '../webhooks/callback-server.js';
import { webhooks } from '../webhooks/plugin.js';
import { judgeEngine } from './support/engine.js';
import { storedEvents } from './support/events.js';
import { gatedFile, type GatedTargets } from './support/gated-targets.js';
import { mergeKubeconfigs } from './support/kubeconfig.js';
import { liveImages, replicaSets } from './support/replica-sets.js';
import { startWebhookJob, type WebhookJob } from './support/webhook-job.js';
import { sleep, untilEnded, untilState, why } from './support/wait.js';

/**
 * Acceptance "judge and gate", constraints across two dev clusters: staging (cluster 0) is
 * checked by an external job through a webhook with a callback; prod-east (cluster 0, another
 * namespace) and prod-west (cluster 1) wait for a person's approval. One kubeconfig holds both
 * clusters' contexts, and the accounts are those context names.
 */
let namespaces: TestNamespace[] = [];
let engine: FerryEngine | undefined;
let callbacks: WebhookCallbackServer | undefined;
let job: WebhookJob | undefined;

beforeEach(async () => {
  namespaces = [
    await createTestNamespace({ cluster: 0, prefix: 'staging' }),
    await createTestNamespace({ cluster: 0, prefix: 'prod-east' }),
    await createTestNamespace({ cluster: 1, prefix: 'prod-west' }),
  ];
});
afterEach(async () => {
  await engine?.close();
  await callbacks?.close();
  await job?.close();
  await Promise.all(namespaces.map((ns) => ns.delete()));
  engine = callbacks = job = undefined;
  namespaces = [];
});

/** The engine, its callback receiver and the external job that answers `verdict`. */
async function setUp(verdict: { success: boolean; mdMessage: string }): Promise<{ e: FerryEngine; targets: GatedTargets }> {
  const [staging, prodEast, prodWest] = namespaces as [TestNamespace, TestNamespace, TestNamespace];
  const kubeconfig = mergeKubeconfigs([devcluster(0).kubeconfigPath, devcluster(1).kubeconfigPath]);
  const [account0, account1] = kubeconfig.contexts as [string, string];
  expect(account0).not.toBe(account1);
  // The receiver calls whichever engine exists once it is listening.
  callbacks = createWebhookCallbackServer({ engine: { callback: (id, input) => (engine as FerryEngine).callback(id, input) } });
  const callbackBaseUrl = await callbacks.listen();
  job = await startWebhookJob(verdict);
  engine = judgeEngine({
    kubeconfigPath: kubeconfig.path,
    prometheusUrl: devcluster(0).prometheusUrl ?? 'http://127.0.0.1:9',
    plugins: [webhooks({ callbackBaseUrl, retryBaseDelayMs: 200 })],
  });
  const targets: GatedTargets = { staging, prodEast, prodWest, accounts: { staging: account0, prodEast: account0, prodWest: account1 }, jobUrl: job.url };
  return { e: engine, targets };
}

/** When a target's strategy ran: from its first strategy step's start to its last one's end. */
function strategySpan(state: DeploymentStateV1, target: string): [number, number] {
  const steps = Object.entries(state.targets[target]?.steps ?? {}).filter(([id]) => id.startsWith(`${target}/strategy/`)).map(([, s]) => s);
  const starts = steps.map((s) => s.startedAt ?? Infinity);
  const ends = steps.map((s) => s.endedAt ?? -Infinity);
  return [Math.min(...starts), Math.max(...ends)];
}

describe('constraints across three targets on two dev clusters', () => {
  it('a failed staging callback keeps staging deployed and skips both prod targets, which never deploy', async () => {
    const { e, targets } = await setUp({ success: false, mdMessage: 'smoke tests failed' });
    const started = await e.start(await gatedFile(targets, 'ferry/sample-app:v1'));
    const state = await untilEnded(e, started.id);
    expect(state.status, why(state)).toBe('FAILED');
    expect(state.targets.staging?.status, why(state)).toBe('FAILED');
    expect(state.targets['prod-east']?.status, why(state)).toBe('SKIPPED');
    expect(state.targets['prod-west']?.status, why(state)).toBe('SKIPPED');

    // The job was called once, for staging, and its callback was accepted.
    await job?.settled();
    expect(job?.calls.map((c) => [c.body.environment, c.callbackStatus])).toEqual([['staging', 202]]);
    const events = await storedEvents(e, started.id);
    expect(events.filter((ev) => ev.type === 'step.callbackReceived').map((ev) => [ev.target, ev.data.success])).toEqual([['staging', false]]);
    expect(events.filter((ev) => ev.type === 'approval.requested')).toEqual([]);
    expect(events.filter((ev) => ev.type === 'target.started').map((ev) => ev.target)).toEqual(['staging']);

    // Not rolled back: staging keeps its new version, ready. The prod clusters never saw it.
    expect(await liveImages(targets.staging)).toEqual({ 'ferry/sample-app:v1': 2 });
    expect((await replicaSets(targets.staging)).map((rs) => rs.ready)).toEqual([2]);
    expect(await replicaSets(targets.prodEast)).toEqual([]);
    expect(await replicaSets(targets.prodWest)).toEqual([]);
  });

  it('a successful callback lets the prod targets wait for approval, then both deploy in parallel', async () => {
    const { e, targets } = await setUp({ success: true, mdMessage: 'all green' });
    const started = await e.start(await gatedFile(targets, 'ferry/sample-app:v1'));
    const waiting = await untilState(e, started.id, 'both prod approvals', (s) =>
      ['prod-east', 'prod-west'].every((t) => s.targets[t]?.status === 'AWAITING_APPROVAL'),
    );
    expect(waiting.targets.staging?.status, why(waiting)).toBe('SUCCEEDED');
    await job?.settled();
    expect(job?.calls.map((c) => [c.body.environment, c.callbackStatus])).toEqual([['staging', 202]]);

    // Nobody approved: nothing reaches prod.
    await sleep(2_000);
    expect((await e.get(started.id)).state.status).toBe('AWAITING_APPROVAL');
    expect(await replicaSets(targets.prodEast)).toEqual([]);
    expect(await replicaSets(targets.prodWest)).toEqual([]);

    await Promise.all([e.approve(started.id, { target: 'prod-east', by: 'alice' }), e.approve(started.id, { target: 'prod-west', by: 'alice' })]);
    const state = await untilEnded(e, started.id);
    expect(state.status, why(state)).toBe('SUCCEEDED');
    for (const target of ['staging', 'prod-east', 'prod-west']) expect(state.targets[target]?.status, target).toBe('SUCCEEDED');
    for (const ns of [targets.staging, targets.prodEast, targets.prodWest]) {
      expect(await liveImages(ns), ns.name).toEqual({ 'ferry/sample-app:v1': 2 });
    }
    const [eastStart, eastEnd] = strategySpan(state, 'prod-east');
    const [westStart, westEnd] = strategySpan(state, 'prod-west');
    expect(Number.isFinite(eastStart) && Number.isFinite(westStart)).toBe(true);
    // In parallel: each prod target's rollout began before the other's ended.
    expect(eastStart).toBeLessThan(westEnd);
    expect(westStart).toBeLessThan(eastEnd);
    const approvals = (await storedEvents(e, started.id)).filter((ev) => ev.type === 'approval.requested').map((ev) => ev.target);
    expect(approvals.sort()).toEqual(['prod-east', 'prod-west']);
  });
});
