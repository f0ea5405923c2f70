import type { FerryEngine } from '@ferry/core';
import type { RunningTraffic } from '@ferry/devcluster';
import { useTestNamespace } from '@ferry/devcluster/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterEngine, fileFor } from './support/engine.js';
import { replicaSetsByImage } from './support/replica-sets.js';
import { sleep, until, untilStatus, why } from './support/wait.js';
import { trafficTo } from './support/traffic.js';

/**
 * Acceptance 3: a version whose pods never become ready. The canary's first weight waits for
 * readiness until deploymentConfig.timeout (60 s, the minimum), the target rolls back, and
 * the stable version answers every request meanwhile.
 */
const ns = useTestNamespace({ prefix: 'never-ready' });
const STEPS = `    canary:
      steps:
        - setWeight: 25
        - pause: {duration: 5, unit: seconds}
        - setWeight: 50`;

let engine: FerryEngine | undefined;
let traffic: RunningTraffic | undefined;
afterEach(async () => {
  await traffic?.stop();
  await engine?.close();
  engine = traffic = undefined;
});

describe('a version that never becomes ready', () => {
  it('times out, rolls back automatically, and v1 serves every request throughout', async () => {
    engine = clusterEngine(ns.current);
    const file = (image: string) => fileFor(ns.current, { image, strategy: STEPS, timeoutSeconds: 60 });
    const first = await engine.start(await file('ferry/sample-app:v1'));
    const v1 = await untilStatus(engine, first.id);
    expect(v1.status, why(v1)).toBe('SUCCEEDED');
    traffic = await trafficTo(ns.current, 'sample-app');
    await until('the generator to see v1 endpoints', async () => ((traffic!.stats().routing?.readyEndpoints['sample-app'] ?? 0) === 4 ? true : undefined));
    traffic.reset();

    const begun = Date.now();
    const bad = await engine.start(await file('ferry/sample-app:never-ready'));
    // The canary pod exists but never turns ready.
    await until('the never-ready canary pod', async () => {
      const rs = await replicaSetsByImage(ns.current);
      return rs['never-ready'] && rs['never-ready'].current >= 1 ? rs['never-ready'] : undefined;
    });
    const ended = await untilStatus(engine, bad.id, undefined, 240_000);
    const elapsed = Date.now() - begun;
    expect(ended.status).toBe('FAILED');
    expect(ended.targets.dev?.status, why(ended)).toBe('ROLLED_BACK');
    expect(why(ended)).toMatch(/ready|timeout|timed out/i);
    expect(elapsed).toBeGreaterThanOrEqual(60_000);

    // The stable version keeps its 4 ready pods, the canary is at zero.
    const rs = await replicaSetsByImage(ns.current);
    expect(rs.v1).toMatchObject({ desired: 4, ready: 4 });
    expect(rs['never-ready']?.desired ?? 0).toBe(0);
    await sleep(2_000);
    const stats = traffic.stats();
    // 40 requests/s over the whole deployment (≥ 60 s).
    expect(stats.total).toBeGreaterThan(40 * 50);
    expect({ failures: stats.failures, byVersion: Object.keys(stats.byVersion), byStatus: Object.keys(stats.byStatus) }).toEqual({
      failures: 0,
      byVersion: ['v1'],
      byStatus: ['200'],
    });
  });
});
