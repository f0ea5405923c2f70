import type { FerryEngine } from '@ferry/core';
import type { RunningTraffic } from '@ferry/devcluster';
import { useTestNamespace } from '@ferry/devcluster/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { judgeEngine } from './support/engine.js';
import { measured, type MeasuredData } from './support/events.js';
import { liveImages } from './support/replica-sets.js';
import { errorRateOrZero, judgedCanaryFile } from './support/single-target.js';
import { trafficTo } from './support/traffic.js';
import { untilEnded, why } from './support/wait.js';

/**
 * Acceptance "judge and gate", `judge: mannWhitney`: the canary's and the stable version's
 * series come from Prometheus range queries over real traffic; v3 (30% errors, +150 ms) is
 * worse than v1, v2 is not.
 */
const ns = useTestNamespace({ prefix: 'judge-mw' });

// errorRate is 0 (not missing) for versions that never failed, so v1 has a baseline series.
const QUERIES = `${errorRateOrZero('10s', '      upperLimit: 0.05')}
    - name: meanLatency
      upperLimit: 1
      queryTemplate: >-
        sum(rate(http_request_duration_seconds_sum{replicaset="{{armory.replicaSetName}}"}[10s]))
        / sum(rate(http_request_duration_seconds_count{replicaset="{{armory.replicaSetName}}"}[10s]))`;
const ANALYSIS = '{queries: [errorRate, meanLatency], interval: 30, units: seconds, judge: mannWhitney}';

let engine: FerryEngine | undefined;
let traffic: RunningTraffic | undefined;
afterEach(async () => {
  await traffic?.stop();
  await engine?.close();
  engine = traffic = undefined;
});

function byQuery(events: MeasuredData[]): Record<string, MeasuredData> {
  return Object.fromEntries(events.map((e) => [e.query, e]));
}

const classification = (m: MeasuredData | undefined) => (m?.detail as { classification?: string } | undefined)?.classification;

describe('the mannWhitney judge on Prometheus series', () => {
  it('fails v3 against v1 on errors and latency, then passes v2 against v1', async () => {
    const prometheusUrl = ns.current.cluster.prometheusUrl;
    if (!prometheusUrl) throw new Error('the dev cluster has no Prometheus: the e2e global setup must start it');
    engine = judgeEngine({
      kubeconfigPath: ns.current.kubeconfigPath,
      prometheusUrl,
      mannWhitney: {
        metrics: {
          errorRate: { direction: 'increase', critical: true },
          // A fresh Node process answers a little slower while it warms up: only a tripling counts.
          meanLatency: { direction: 'increase', allowedIncrease: 200, critical: true },
        },
      },
    });
    const first = await engine.start(await judgedCanaryFile(ns.current, 'ferry/sample-app:v1', ANALYSIS, QUERIES));
    const v1 = await untilEnded(engine, first.id);
    expect(v1.status, why(v1)).toBe('SUCCEEDED');
    traffic = await trafficTo(ns.current);

    const bad = await engine.start(await judgedCanaryFile(ns.current, 'ferry/sample-app:v3', ANALYSIS, QUERIES));
    const v3 = await untilEnded(engine, bad.id);
    expect(v3.status, why(v3)).toBe('FAILED');
    expect(v3.targets.dev?.status, why(v3)).toBe('ROLLED_BACK');
    expect(await liveImages(ns.current)).toEqual({ 'ferry/sample-app:v1': 2 });
    const stable = (v3.targets.dev?.strategyState as { stableReplicaSetName?: string } | undefined)?.stableReplicaSetName;
    const failed = byQuery(await measured(engine, bad.id));
    for (const query of ['errorRate', 'meanLatency']) {
      const m = failed[query];
      expect(m?.verdict, query).toBe('fail');
      expect(classification(m), `${query}: ${JSON.stringify(m?.reasons)}`).toBe('High');
      expect(m?.baselineRendered).toContain(`replicaset="${stable}"`);
      // Series, not single values: a range query's points on both sides.
      expect(m?.canaryPoints, query).toBeGreaterThanOrEqual(10);
      expect(m?.baselinePoints, query).toBeGreaterThanOrEqual(10);
    }
    expect(failed.errorRate?.value).toBeGreaterThan(0.15);
    expect(failed.errorRate?.value).toBeLessThan(0.45);
    expect(failed.meanLatency?.value).toBeGreaterThan(0.1); // seconds: v3 adds 150 ms

    const good = await engine.start(await judgedCanaryFile(ns.current, 'ferry/sample-app:v2', ANALYSIS, QUERIES));
    const v2 = await untilEnded(engine, good.id);
    const passed = byQuery(await measured(engine, good.id));
    expect(v2.status, `${why(v2)} ${JSON.stringify(Object.values(passed).map((m) => m.reasons))}`).toBe('SUCCEEDED');
    for (const query of ['errorRate', 'meanLatency']) {
      const m = passed[query];
      expect(m?.verdict, query).toBe('pass');
      expect(classification(m), `${query}: ${JSON.stringify(m?.reasons)}`).toBe('Pass');
      expect(m?.canaryPoints, query).toBeGreaterThanOrEqual(10);
      expect(m?.baselinePoints, query).toBeGreaterThanOrEqual(10);
    }
    expect(passed.meanLatency?.value).toBeLessThan(0.1);
    expect(await liveImages(ns.current)).toEqual({ 'ferry/sample-app:v2': 2 });
  });
});
