import type { FerryEngine } from '@ferry/core';
import type { RunningTraffic } from '@ferry/devcluster';
import { useTestNamespace } from '@ferry/devcluster/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { judgeEngine } from './support/engine.js';
import { measured } from './support/events.js';
import { liveImages } from './support/replica-sets.js';
import { ERROR_RATE_QUERY, errorRateOrZero, judgedCanaryFile } from './support/single-target.js';
import { trafficTo } from './support/traffic.js';
import { sleep, untilEnded, untilState, why } from './support/wait.js';
import { instantAt } from './support/prometheus.js';

/**
 * Acceptance "judge and gate", threshold judge: canaries of the sample app on dev cluster 0,
 * judged on the error rate its real Prometheus computes from generated traffic.
 */
const ns = useTestNamespace({ prefix: 'judge-threshold' });
const ANALYSIS = (mode: string) => `{queries: [errorRate], interval: 30, units: seconds, numberOfJudgmentRuns: 1, ${mode}}`;

let engine: FerryEngine | undefined;
let traffic: RunningTraffic | undefined;
afterEach(async () => {
  await traffic?.stop();
  await engine?.close();
  engine = traffic = undefined;
});

/** Deploys v1 (a first deployment goes straight to 100%) and starts traffic at it. */
async function stableV1(): Promise<FerryEngine> {
  const prometheusUrl = ns.current.cluster.prometheusUrl;
  if (!prometheusUrl) throw new Error('the dev cluster has no Prometheus: the e2e global setup must start it');
  engine = judgeEngine({ kubeconfigPath: ns.current.kubeconfigPath, prometheusUrl });
  const first = await engine.start(await judgedCanaryFile(ns.current, 'ferry/sample-app:v1', ANALYSIS('rollBackMode: automatic'), ERROR_RATE_QUERY));
  const state = await untilEnded(engine, first.id);
  expect(state.status, why(state)).toBe('SUCCEEDED');
  traffic = await trafficTo(ns.current);
  return engine;
}

describe('a canary judged by the threshold judge on Prometheus', () => {
  it('rolls v3 back automatically: the stored measurement is the ~30% error rate Prometheus computed', async () => {
    const e = await stableV1();
    const bad = await e.start(await judgedCanaryFile(ns.current, 'ferry/sample-app:v3', ANALYSIS('rollBackMode: automatic'), ERROR_RATE_QUERY));
    const state = await untilEnded(e, bad.id);
    expect(state.status, why(state)).toBe('FAILED');
    expect(state.targets.dev?.status, why(state)).toBe('ROLLED_BACK');
    expect(await liveImages(ns.current)).toEqual({ 'ferry/sample-app:v1': 2 });

    const canaryReplicaSet = (state.targets.dev?.strategyState as { replicaSetName?: string } | undefined)?.replicaSetName;
    expect(canaryReplicaSet).toMatch(/^sample-app-/);
    const [measurement, ...more] = await measured(e, bad.id);
    expect(more).toEqual([]);
    expect(measurement?.query).toBe('errorRate');
    expect(measurement?.rendered).toBe(
      `sum(rate(http_requests_total{code=~"5..",replicaset="${canaryReplicaSet}"}[30s])) / sum(rate(http_requests_total{replicaset="${canaryReplicaSet}"}[30s]))`,
    );
    expect(measurement?.verdict).toBe('fail');
    expect(measurement?.value).toBeGreaterThan(0.15);
    expect(measurement?.value).toBeLessThan(0.45);
    // The stored value is Prometheus's own answer for that query at the window's end.
    expect(measurement?.value).toBeCloseTo(await instantAt(ns.current.cluster.prometheusUrl ?? '', measurement?.rendered ?? '', measurement?.windowEnd ?? 0), 9);
    expect(traffic?.stats().byVersion.v3).toBeGreaterThan(50);
  });

  it('holds v2 after a passing analysis with rollForwardMode: manual until rollForward, then succeeds', async () => {
    const e = await stableV1();
    // v2 never fails a request: the plain query would have no data, so its numerator defaults to 0.
    const good = await e.start(await judgedCanaryFile(ns.current, 'ferry/sample-app:v2', ANALYSIS('rollForwardMode: manual'), errorRateOrZero('30s')));
    const waiting = await untilState(e, good.id, 'a roll-forward request', (s) =>
      Object.values(s.targets.dev?.steps ?? {}).some((step) => step.approval?.kind === 'rollForward'),
    );
    expect(waiting.targets.dev?.status, why(waiting)).toBe('AWAITING_APPROVAL');
    const [measurement] = await measured(e, good.id);
    expect(measurement?.verdict).toBe('pass');
    expect(measurement?.value).toBe(0);
    expect(measurement?.rendered).toContain(`replicaset="${(waiting.targets.dev?.strategyState as { replicaSetName?: string }).replicaSetName}"`);

    // Nobody decided: it keeps waiting, with the canary still at 50%.
    await sleep(3_000);
    const still = await e.get(good.id);
    expect(still.state.targets.dev?.status, why(still.state)).toBe('AWAITING_APPROVAL');
    expect(await liveImages(ns.current)).toEqual({ 'ferry/sample-app:v1': 1, 'ferry/sample-app:v2': 1 });

    await e.rollForward(good.id, { target: 'dev', by: 'release-manager' });
    const state = await untilEnded(e, good.id);
    expect(state.status, why(state)).toBe('SUCCEEDED');
    expect(state.targets.dev?.status).toBe('SUCCEEDED');
    expect(await liveImages(ns.current)).toEqual({ 'ferry/sample-app:v2': 2 });
    expect(traffic?.stats().byVersion.v2).toBeGreaterThan(50);
  });
});
