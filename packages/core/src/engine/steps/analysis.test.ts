import { describe, expect, it } from 'vitest';
import type { AnalysisStep } from '../../config/types.js';
import type { Json, JudgeV1, MeasurementV1, MetricProviderV1, MetricWindowV1, StepContextV1, StepOutcomeV1, VerdictV1 } from '../../plugins/contracts.js';
import { analysisStep, silentLogger, testDeployFile, testQuery, testTarget } from '../../testing/index.js';
import { FerryUnavailableError } from '../../errors/index.js';
import { analysisStepKind, MAX_UNAVAILABLE_RETRIES } from './analysis.js';

const T0 = 1_000_000;

interface Asked {
  query: string;
  window: MetricWindowV1;
}

/** Answers a series per rendered query: `rs="app-canary"` and `rs="app-stable"` get different points. */
function seriesProvider(asked: Asked[]): MetricProviderV1 {
  return {
    specificationVersion: 'v1',
    kind: 'series',
    name: 'prom',
    async query({ query, window }) {
      asked.push({ query, window: { ...window } });
      const series = query.includes('app-canary') ? [3, 4, 5] : [1, 2, 3];
      return { value: series.reduce((a, b) => a + b, 0) / series.length, series };
    },
    async testConnection() {
      return { ok: true };
    },
  };
}

/** A judge of the given kind that records what it was given and answers verdicts in turn. */
function recordingJudge(kind: string, verdicts: Array<VerdictV1['verdict']>, seen: MeasurementV1[][]): JudgeV1 {
  return {
    specificationVersion: 'v1',
    kind,
    judge({ measurements }) {
      seen.push(structuredClone(measurements));
      const verdict = verdicts[Math.min(seen.length - 1, verdicts.length - 1)] ?? 'pass';
      return { verdict, reasons: [`call ${seen.length}`], perMetric: measurements.map((m) => ({ query: m.query, result: verdict === 'fail' ? 'high' : 'pass', detail: { call: seen.length } })) };
    },
  };
}

function context(step: AnalysisStep, options: { strategyState: Json | undefined; judge: JudgeV1; provider: MetricProviderV1; now: number; state?: Json }): StepContextV1 {
  const file = testDeployFile({
    targets: { prod: testTarget('prod', { strategy: 'c' }) },
    analysis: { defaultMetricProviderName: 'prom', queries: { errors: testQuery('errors'), latency: testQuery('latency') } },
  });
  return {
    deploymentId: 'd1',
    application: 'app',
    target: file.config.targets['prod'] as StepContextV1['target'],
    config: file.config,
    stepId: 'prod/strategy/2',
    step: { id: 'prod/strategy/2', kind: 'analysis', runner: 'stepKind', title: 'analysis', config: step },
    state: options.state,
    startedAt: T0,
    attempt: 1,
    now: () => options.now,
    signal: new AbortController().signal,
    logger: silentLogger,
    cluster: () => Promise.reject(new Error('no cluster in this test')),
    manifests: [],
    trafficManagement: [],
    variables: { armory: { applicationName: 'app' }, context: {} },
    secret: (name) => Promise.reject(new Error(`no secret ${name}`)),
    strategyState: options.strategyState,
    metricProvider: () => options.provider,
    judge: (kind) => {
      if (kind !== options.judge.kind) throw new Error(`no judge ${kind}`);
      return options.judge;
    },
    trafficProvider: () => undefined,
  };
}

/** Runs the step until it stops waiting for time, advancing the clock to each wakeAt. */
async function runToEnd(step: AnalysisStep, options: { strategyState: Json | undefined; judge: JudgeV1; provider: MetricProviderV1 }): Promise<StepOutcomeV1[]> {
  const kind = analysisStepKind();
  const outcomes: StepOutcomeV1[] = [];
  let now = T0;
  let state: Json | undefined;
  for (let i = 0; i < 20; i++) {
    const outcome = await kind.run(context(step, { ...options, now, ...(state !== undefined ? { state } : {}) }));
    outcomes.push(outcome);
    if (outcome.status !== 'waiting' || outcome.wakeAt === undefined) return outcomes;
    state = outcome.state;
    now = outcome.wakeAt;
  }
  throw new Error('the analysis did not end');
}

const rollout = { replicaSetName: 'app-canary', stableReplicaSetName: 'app-stable', weight: 20 };
const measuredEvents = (outcomes: StepOutcomeV1[]) => outcomes.flatMap((o) => o.events ?? []).filter((e) => e.type === 'analysis.measured');

describe('analysis step: baseline for a comparative judge', () => {
  it('asks each query for the canary and then the stable ReplicaSet, over the same window, as series', async () => {
    const asked: Asked[] = [];
    const seen: MeasurementV1[][] = [];
    const step = analysisStep({ queries: ['errors', 'latency'], judge: 'mannWhitney' });
    const outcomes = await runToEnd(step, { strategyState: rollout, judge: recordingJudge('mannWhitney', ['pass'], seen), provider: seriesProvider(asked) });
    expect(outcomes.at(-1)?.status).toBe('succeeded');
    expect(asked.map((a) => a.query)).toEqual([
      'errors{rs="app-canary",app="app"}[60s]',
      'errors{rs="app-stable",app="app"}[60s]',
      'latency{rs="app-canary",app="app"}[60s]',
      'latency{rs="app-stable",app="app"}[60s]',
    ]);
    // One 60 s window, asked at a 2 s step (30 points) so that providers return series.
    expect(asked.map((a) => a.window)).toEqual(Array(4).fill({ start: T0, end: T0 + 60_000, stepSeconds: 2 }));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]).toEqual({
      query: 'errors',
      rendered: 'errors{rs="app-canary",app="app"}[60s]',
      upperLimit: 10,
      canary: { value: 4, series: [3, 4, 5] },
      baseline: { value: 2, series: [1, 2, 3] },
    });
    const events = measuredEvents(outcomes);
    expect(events).toHaveLength(2);
    expect(events[0]?.data).toMatchObject({
      query: 'errors',
      value: 4,
      baselineValue: 2,
      canaryPoints: 3,
      baselinePoints: 3,
      baselineRendered: 'errors{rs="app-stable",app="app"}[60s]',
      result: 'pass',
      detail: { call: 1 },
    });
  });

  it('gives no baseline on a first deployment (no stable ReplicaSet), asking each query once', async () => {
    const asked: Asked[] = [];
    const seen: MeasurementV1[][] = [];
    const step = analysisStep({ queries: ['errors'], judge: 'mannWhitney' });
    await runToEnd(step, { strategyState: { replicaSetName: 'app-canary', weight: 0 }, judge: recordingJudge('mannWhitney', ['noData'], seen), provider: seriesProvider(asked) });
    expect(asked.map((a) => a.query)).toEqual(['errors{rs="app-canary",app="app"}[60s]']);
    expect(seen[0]?.[0]).not.toHaveProperty('baseline');
  });

  it('keeps the threshold path as it was: one query per window, one step per interval, no baseline', async () => {
    const asked: Asked[] = [];
    const seen: MeasurementV1[][] = [];
    const step = analysisStep({ queries: ['errors'], judge: 'threshold' });
    const outcomes = await runToEnd(step, { strategyState: rollout, judge: recordingJudge('threshold', ['pass'], seen), provider: seriesProvider(asked) });
    expect(asked).toEqual([{ query: 'errors{rs="app-canary",app="app"}[60s]', window: { start: T0, end: T0 + 60_000, stepSeconds: 60 } }]);
    expect(seen[0]?.[0]).not.toHaveProperty('baseline');
    const data = measuredEvents(outcomes)[0]?.data ?? {};
    expect(Object.keys(data).sort()).toEqual(['query', 'reasons', 'rendered', 'result', 'run', 'upperLimit', 'value', 'verdict', 'windowEnd', 'windowStart'].sort());
  });

  it('lets the last run decide for a comparative judge over several runs (no averaging of series)', async () => {
    // A fourth answer is scripted opposite to the third: a final re-judgment of averaged
    // values would get it and flip the outcome.
    const step = analysisStep({ queries: ['errors'], judge: 'mannWhitney', numberOfJudgmentRuns: 3 });
    const failThenPass = await runToEnd(step, { strategyState: rollout, judge: recordingJudge('mannWhitney', ['fail', 'fail', 'pass', 'fail'], []), provider: seriesProvider([]) });
    expect(failThenPass.at(-1)?.status).toBe('succeeded');
    const passThenFail = await runToEnd(step, { strategyState: rollout, judge: recordingJudge('mannWhitney', ['pass', 'pass', 'fail', 'pass'], []), provider: seriesProvider([]) });
    expect(passThenFail.at(-1)).toMatchObject({ status: 'failed', reason: 'analysis failed after 3 judgment run(s)' });
  });

  it('stops at the first failed comparative run with abortOnFailedJudgment', async () => {
    const asked: Asked[] = [];
    const step = analysisStep({ queries: ['errors'], judge: 'mannWhitney', numberOfJudgmentRuns: 3, abortOnFailedJudgment: true });
    const outcomes = await runToEnd(step, { strategyState: rollout, judge: recordingJudge('mannWhitney', ['fail', 'pass'], []), provider: seriesProvider(asked) });
    expect(outcomes.at(-1)?.status).toBe('failed');
    expect(asked).toHaveLength(2);
  });
});

/** Unavailable for the first `outages` queries (with an optional server-suggested wait), then answers `value`. */
function flakyProvider(outages: number, value: number, retryAfterMs?: number): MetricProviderV1 & { calls: number } {
  const provider = {
    specificationVersion: 'v1' as const,
    kind: 'flaky',
    name: 'prom',
    calls: 0,
    async query() {
      provider.calls++;
      if (provider.calls <= outages) {
        throw new FerryUnavailableError('prom: connect ECONNREFUSED 127.0.0.1:9090', retryAfterMs ? { details: { retryAfterMs } } : {});
      }
      return { value };
    },
    async testConnection() {
      return { ok: true };
    },
  };
  return provider;
}

describe('analysis step: an unavailable metric provider', () => {
  it('measures the same window again later, with backoff, instead of failing the rollout', async () => {
    const seen: MeasurementV1[][] = [];
    const provider = flakyProvider(2, 1);
    const outcomes = await runToEnd(analysisStep({ queries: ['errors'] }), { strategyState: rollout, judge: recordingJudge('threshold', ['pass'], seen), provider });
    // The window's end, then two retries 5 s and 10 s apart, then the measurement.
    expect(outcomes.map((o) => o.status)).toEqual(['waiting', 'waiting', 'waiting', 'succeeded']);
    expect(outcomes[1]).toMatchObject({ status: 'waiting', wakeAt: T0 + 60_000 + 5_000 });
    expect(outcomes[2]).toMatchObject({ status: 'waiting', wakeAt: T0 + 60_000 + 5_000 + 10_000 });
    const unavailable = outcomes.flatMap((o) => o.events ?? []).filter((e) => e.type === 'analysis.unavailable');
    expect(unavailable.map((e) => e.data)).toEqual([
      { run: 1, attempt: 1, retryInMs: 5_000, message: 'prom: connect ECONNREFUSED 127.0.0.1:9090' },
      { run: 1, attempt: 2, retryInMs: 10_000, message: 'prom: connect ECONNREFUSED 127.0.0.1:9090' },
    ]);
    // One judgment, of the window as planned: retries do not move it.
    expect(measuredEvents(outcomes).map((e) => [e.data.windowStart, e.data.windowEnd, e.data.value])).toEqual([[T0, T0 + 60_000, 1]]);
    expect(seen).toHaveLength(1);
  });

  it('waits as long as the provider asks (bounded) when it says when to come back', async () => {
    const provider = flakyProvider(1, 1, 30_000);
    const outcomes = await runToEnd(analysisStep({ queries: ['errors'] }), { strategyState: rollout, judge: recordingJudge('threshold', ['pass'], []), provider });
    expect(outcomes[1]).toMatchObject({ status: 'waiting', wakeAt: T0 + 60_000 + 30_000 });
    expect(outcomes.at(-1)?.status).toBe('succeeded');
  });

  it('fails once the provider stays unavailable past the retry budget', async () => {
    const provider = flakyProvider(100, 1);
    const outcomes = await runToEnd(analysisStep({ queries: ['errors'] }), { strategyState: rollout, judge: recordingJudge('threshold', ['pass'], []), provider });
    const last = outcomes.at(-1);
    expect(last?.status).toBe('failed');
    expect(last).toMatchObject({ reason: expect.stringContaining(`unavailable ${MAX_UNAVAILABLE_RETRIES + 1} times in a row`) });
    expect(provider.calls).toBe(MAX_UNAVAILABLE_RETRIES + 1);
  });

  it('still fails at once on a bad query (an input error is not transient)', async () => {
    const provider: MetricProviderV1 = {
      specificationVersion: 'v1',
      kind: 'bad',
      name: 'prom',
      async query() {
        throw new Error('bad_data: parse error at char 7');
      },
      async testConnection() {
        return { ok: true };
      },
    };
    await expect(runToEnd(analysisStep({ queries: ['errors'] }), { strategyState: rollout, judge: recordingJudge('threshold', ['pass'], []), provider })).rejects.toThrow('bad_data');
  });
});
