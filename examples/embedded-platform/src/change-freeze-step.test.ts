import { randomBytes } from 'node:crypto';
import { createEngine, definePlugin, parseDeployFile, type FerryEngine } from '@ferry/core';
import { createFakeCluster } from '@ferry/core/testing';
import { canary } from '@ferry/strategies';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisChangeCalendar } from './change-calendar.js';
import { changeFreezePlugin } from './change-freeze-step.js';
import { RedisStore } from './redis-store.js';
import { REDIS_URL } from './test-redis.js';

/**
 * The platform's step kind in a real engine whose state lives in a real Redis (the cluster is
 * in memory here; platform.e2e.test.ts runs on a dev cluster). One engine replaces another
 * mid-wait, as after a restart: the wait resumes from Redis.
 */
let prefix: string;
let calendar: RedisChangeCalendar;
const engines: FerryEngine[] = [];
const stores: RedisStore[] = [];
const cluster = createFakeCluster({ readyDelayMs: 10 });

beforeEach(() => {
  prefix = `ferry-test:${randomBytes(6).toString('hex')}:`;
  calendar = new RedisChangeCalendar({ redis: REDIS_URL, keyPrefix: `${prefix}calendar:` });
});
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  for (const store of stores.splice(0)) await store.destroy();
  await calendar.destroy();
});

function engine(owner: string): FerryEngine {
  const store = new RedisStore({ redis: REDIS_URL, keyPrefix: `${prefix}ferry:` });
  stores.push(store);
  const e = createEngine({
    store,
    owner,
    pollIntervalMs: 50,
    leaseTtlMs: 1_000,
    plugins: [
      canary({ pollIntervalMs: 50 }),
      definePlugin({ id: 'test.cluster', register: (ctx) => ctx.clusterConnectors.add(cluster.connector) }),
      changeFreezePlugin({ calendar, recheckMs: 100 }),
    ],
  });
  engines.push(e);
  return e;
}

const FILE = (step: string) => `version: v1
kind: kubernetes
application: shop-${randomBytes(3).toString('hex')}
targets:
  prod:
    account: prod
    namespace: shop
    strategy: rollout
    constraints:
      beforeDeployment:
        - custom: ${step}
strategies:
  rollout: {canary: {steps: [{setWeight: 50}]}}
manifests:
  - inline: |
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: shop}
      spec:
        replicas: 2
        selector: {matchLabels: {app: shop}}
        template:
          metadata: {labels: {app: shop}}
          spec: {containers: [{name: shop, image: "shop:1"}]}
`;

async function until(e: FerryEngine, id: string, what: (status: string, target: string) => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { state } = await e.get(id);
    if (what(state.status, state.targets.prod?.status ?? '')) return state;
    if (Date.now() > deadline) throw new Error(`timed out; deployment is ${state.status}, prod ${state.targets.prod?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the changeFreeze step kind', () => {
  it('waits while the calendar is frozen, survives an engine restart, then records the release and deploys', async () => {
    await calendar.freeze('prod', 'end-of-quarter freeze');
    const first = engine('replica-a');
    const file = await parseDeployFile(FILE('{kind: changeFreeze, config: {calendar: prod}}'));
    const started = await first.start(file);
    await until(first, started.id, (_status, target) => target === 'RUNNING' || target === 'PAUSED');
    // Still frozen after several rechecks: nothing reached the cluster, nothing recorded.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await first.get(started.id)).state.status).not.toBe('SUCCEEDED');
    expect(await calendar.releases()).toEqual([]);

    // The platform restarts: another replica takes the deployment over from Redis.
    await first.close();
    const second = engine('replica-b');
    await calendar.lift('prod');
    const state = await until(second, started.id, (status) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(status));
    expect(state.status).toBe('SUCCEEDED');

    const releases = await calendar.releases();
    expect(releases).toEqual([{ deploymentId: started.id, application: file.config.application, target: 'prod', calendar: 'prod', at: expect.any(Number) }]);
    const events = await second.listEvents(started.id);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'changeFreeze.waiting')).toHaveLength(1);
    expect(types).toContain('changeFreeze.passed');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it('fails the target when the freeze outlasts maxWaitSeconds', async () => {
    await calendar.freeze('prod', 'incident in progress');
    const e = engine('replica-a');
    const started = await e.start(await parseDeployFile(FILE('{kind: changeFreeze, config: {calendar: prod, maxWaitSeconds: 1}}')));
    const state = await until(e, started.id, (status) => ['SUCCEEDED', 'FAILED'].includes(status));
    expect(state.status).toBe('FAILED');
    expect(JSON.stringify(state.targets.prod)).toContain('stayed frozen for more than 1 s: incident in progress');
    expect(await calendar.releases()).toEqual([]);
  });

  it('rejects a bad step config at start, naming the path', async () => {
    const e = engine('replica-a');
    const file = await parseDeployFile(FILE('{kind: changeFreeze, config: {calender: prod}}'));
    await expect(e.start(file)).rejects.toThrow(/targets\.prod\.constraints\.beforeDeployment\[0\].*calend/);
  });
});
