import { FerryInputError, type MeasurementV1 } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { mannWhitneyJudgePlugin } from '../../plugins.js';
import { mannWhitneyJudge } from './judge.js';
import type { MannWhitneyJudgeOptions } from './options.js';

type Limits = { lowerLimit?: number; upperLimit?: number };
function m(query: string, canary: number[] | undefined, baseline: number[] | undefined, limits: Limits = { upperLimit: 100 }): MeasurementV1 {
  return {
    query,
    rendered: query,
    ...limits,
    canary: { value: canary?.[0] ?? null, ...(canary ? { series: canary } : {}) },
    ...(baseline ? { baseline: { value: baseline[0] ?? null, series: baseline } } : {}),
  };
}
const judge = (measurements: MeasurementV1[], options: MannWhitneyJudgeOptions = {}, noData: 'fail' | 'pass' | 'pause' = 'fail') =>
  mannWhitneyJudge(options).judge({ measurements, step: { noData } as never });

const HIGHER = [5, 6, 7, 8];
const LOWER = [1, 2, 3, 4];

describe('mannWhitneyJudge: classification', () => {
  it('is a v1 judge of kind mannWhitney, and a plugin that registers it', () => {
    expect(mannWhitneyJudge()).toMatchObject({ specificationVersion: 'v1', kind: 'mannWhitney' });
    const added: unknown[] = [];
    mannWhitneyJudgePlugin().register({ judges: { add: (j: unknown) => added.push(j) } } as never);
    expect(added).toMatchObject([{ kind: 'mannWhitney' }]);
  });

  it('classifies a significant increase as High, with the numbers in the reason and the detail', () => {
    // U = 16 of 16, exact p = 2/70, 95% interval [1, 7] (see mann-whitney-test.test.ts);
    // medians 6.5 vs 2.5; effect size = mean ratio 6.5/2.5 = 2.6.
    const v = judge([m('errorRate', HIGHER, LOWER)]);
    expect(v.verdict).toBe('fail');
    expect(v.score).toBe(0);
    expect(v.perMetric[0]?.result).toBe('high');
    expect(v.reasons).toEqual([
      'errorRate: High — canary median 6.5 vs baseline 2.5, effect size 2.60×, 95% CI of shift [1, 7], n=4/4, p=0.029',
      'score 0 (pass ≥ 95, marginal ≥ 75): fail',
    ]);
    expect(v.perMetric[0]?.detail).toMatchObject({
      classification: 'High',
      direction: 'increase',
      canaryCount: 4,
      baselineCount: 4,
      canaryMedian: 6.5,
      baselineMedian: 2.5,
      effectSize: 2.6,
      u: 16,
      method: 'exact',
      estimate: 4,
      ciLower: 1,
      ciUpper: 7,
      critical: false,
    });
    expect(v.perMetric[0]?.detail['pValue']).toBeCloseTo(2 / 70, 15);
  });

  it('follows the direction: a decrease is Low for decrease/either, Pass for increase', () => {
    expect(judge([m('q', LOWER, HIGHER)], { defaults: { direction: 'either' } }).perMetric[0]?.result).toBe('low');
    expect(judge([m('q', LOWER, HIGHER)], { defaults: { direction: 'decrease' } }).perMetric[0]?.result).toBe('low');
    expect(judge([m('q', LOWER, HIGHER)], { defaults: { direction: 'increase' } }).perMetric[0]?.result).toBe('pass');
    expect(judge([m('q', HIGHER, LOWER)], { defaults: { direction: 'decrease' } }).perMetric[0]?.result).toBe('pass');
  });

  it('derives the direction from the limits: upper → increase, only lower → decrease, none → either; per-query settings win', () => {
    expect(judge([m('q', HIGHER, LOWER, { lowerLimit: 0, upperLimit: 1 })]).perMetric[0]?.detail['direction']).toBe('increase');
    expect(judge([m('q', HIGHER, LOWER, { lowerLimit: 0 })]).perMetric[0]?.detail['direction']).toBe('decrease');
    expect(judge([m('q', HIGHER, LOWER, {})]).perMetric[0]?.detail['direction']).toBe('either');
    const v = judge([m('q', HIGHER, LOWER, { lowerLimit: 0 })], { defaults: { direction: 'either' }, metrics: { q: { direction: 'increase' } } });
    expect(v.perMetric[0]?.detail['direction']).toBe('increase');
  });

  it('lets an allowed increase pass a significant but small change (effect size below 1 + allowed/100)', () => {
    // Effect size 2.6: fails at 150 % allowed (threshold 2.5), passes at 200 % (threshold 3.0).
    expect(judge([m('q', HIGHER, LOWER)], { metrics: { q: { allowedIncrease: 150 } } }).perMetric[0]?.result).toBe('high');
    expect(judge([m('q', HIGHER, LOWER)], { metrics: { q: { allowedIncrease: 200 } } }).perMetric[0]?.result).toBe('pass');
    // Decrease: effect size 2.5/6.5 = 0.385; allowed 60 % → threshold 0.4 → Low; 70 % → 0.3 → Pass.
    expect(judge([m('q', LOWER, HIGHER)], { defaults: { direction: 'decrease', allowedDecrease: 60 } }).perMetric[0]?.result).toBe('low');
    expect(judge([m('q', LOWER, HIGHER)], { defaults: { direction: 'decrease', allowedDecrease: 70 } }).perMetric[0]?.result).toBe('pass');
  });

  it('uses the median ratio as effect size when asked', () => {
    // Medians 6.5 / 2.5 = 2.6 here too; with an outlier the mean moves and the median does not.
    const v = judge([m('q', [5, 6, 7, 80], LOWER)], { defaults: { effectSize: 'medianRatio' } });
    expect(v.perMetric[0]?.detail['effectSize']).toBe(2.6);
    expect(judge([m('q', [5, 6, 7, 80], LOWER)]).perMetric[0]?.detail['effectSize']).toBe(24.5 / 2.5);
  });
});

describe('mannWhitneyJudge: score and verdict', () => {
  it('weights metrics: 3 of 4 weight passing is 75 → marginal, which fails; a lower pass threshold passes', () => {
    const ms = [m('latency', LOWER, LOWER.map((v) => v + 0.5)), m('errors', HIGHER, LOWER)];
    const options: MannWhitneyJudgeOptions = { metrics: { latency: { weight: 3 } } };
    const v = judge(ms, options);
    expect(v).toMatchObject({ verdict: 'fail', score: 75 });
    expect(v.perMetric.map((p) => p.result)).toEqual(['pass', 'high']);
    expect(v.reasons.at(-1)).toBe('score 75 (pass ≥ 95, marginal ≥ 75): marginal');
    expect(judge(ms, { ...options, pass: 75, marginal: 50 })).toMatchObject({ verdict: 'pass', score: 75 });
  });

  it('fails the whole run with score 0 on a critical failure, whatever the other metrics say', () => {
    const ms = [m('a', LOWER, LOWER), m('b', LOWER, LOWER), m('c', LOWER, LOWER), m('errors', HIGHER, LOWER)];
    expect(judge(ms, { pass: 70, marginal: 50 })).toMatchObject({ verdict: 'pass', score: 75 });
    const critical = judge(ms, { pass: 70, marginal: 50, metrics: { errors: { critical: true } } });
    expect(critical).toMatchObject({ verdict: 'fail', score: 0 });
    expect(critical.reasons.at(-1)).toBe('score 0: critical failure of errors');
    expect(critical.reasons[3]).toMatch(/ \(critical\)$/);
    // criticalIncrease: 100 % → effect size ≥ 2 is critical; 2.6 is.
    expect(judge(ms, { pass: 70, marginal: 50, metrics: { errors: { criticalIncrease: 100 } } }).score).toBe(0);
    expect(judge(ms, { pass: 70, marginal: 50, metrics: { errors: { criticalIncrease: 200 } } }).score).toBe(75);
  });

  it('follows the step noData for metrics without data; scores only metrics with data', () => {
    const ms = [m('ok', LOWER, LOWER), m('missing', [], LOWER)];
    expect(judge(ms, {}, 'fail')).toMatchObject({ verdict: 'fail', score: 100 });
    expect(judge(ms, {}, 'pass')).toMatchObject({ verdict: 'pass', score: 100 });
    expect(judge(ms, {}, 'pause')).toMatchObject({ verdict: 'noData', score: 100 });
    expect(judge(ms, {}, 'fail').reasons[1]).toBe('missing: NoData — too few points (n=0/4; at least 3 each) (noData: fail)');
    // A failing metric wins over missing data.
    expect(judge([m('bad', HIGHER, LOWER), m('missing', [], LOWER)], {}, 'pause').verdict).toBe('fail');
    expect(judge([m('missing', [], LOWER)], {}, 'pause')).toEqual(expect.objectContaining({ verdict: 'noData' }));
    expect(judge([m('missing', [], LOWER)], {}, 'pass')).toMatchObject({ verdict: 'pass', score: 100 });
    expect(judge([], {}, 'pass')).toEqual({ verdict: 'noData', reasons: ['no queries were measured'], perMetric: [] });
  });

  it('rejects invalid options with a FerryInputError naming the path', () => {
    expect(() => mannWhitneyJudge({ pass: 50, marginal: 80 })).toThrow(FerryInputError);
    expect(() => mannWhitneyJudge({ pass: 50, marginal: 80 })).toThrow(/marginal/);
    expect(() => mannWhitneyJudge({ metrics: { q: { direction: 'up' as never } } })).toThrow(/metrics\.q\.direction/);
    expect(() => mannWhitneyJudge({ confidenceLevel: 1 })).toThrow(FerryInputError);
  });
});

describe('mannWhitneyJudge: edge cases', () => {
  it('identical series pass without a test', () => {
    const v = judge([m('q', [3, 1, 2, 2], [2, 3, 2, 1])]);
    expect(v.perMetric[0]).toMatchObject({ result: 'pass', detail: { effectSize: 1 } });
    expect(v.reasons[0]).toBe('q: Pass — canary and baseline data are identical (n=4/4)');
  });

  it('all ties (one value on both sides, different counts) pass', () => {
    expect(judge([m('q', [1, 1, 1, 1], [1, 1, 1, 1, 1])]).perMetric[0]).toMatchObject({ result: 'pass', detail: { pValue: 1, ciLower: 0, ciUpper: 0 } });
  });

  it('one side constant: a baseline of zeros against any errors is High with an infinite effect size', () => {
    const v = judge([m('errors', [0.1, 0.2, 0.3, 0.4, 0.5], [0, 0, 0, 0, 0])]);
    expect(v.perMetric[0]).toMatchObject({ result: 'high', detail: { effectSize: 'Infinity', baselineMedian: 0, method: 'normal' } });
    expect(v.reasons[0]).toContain('effect size ∞×');
  });

  it('empty, missing, too short and all-NaN series are NoData', () => {
    expect(judge([m('q', [], [])]).perMetric[0]?.result).toBe('noData');
    expect(judge([m('q', HIGHER, undefined)]).reasons[0]).toBe('q: NoData — no baseline was measured (no stable version to compare with) (noData: fail)');
    expect(judge([m('q', undefined, LOWER)]).perMetric[0]?.detail).toMatchObject({ canaryCount: 0 });
    // Two points against eight: NoData under the default minimum of 3; with minPoints 2 the
    // test runs (P(U = 0) = 1/C(10,2) = 1/45 < 0.025, so 95 % is reachable).
    const eight = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(judge([m('q', [1, 2], eight)]).reasons[0]).toBe('q: NoData — too few points (n=2/8; at least 3 each) (noData: fail)');
    expect(judge([m('q', [1, 2], eight)], { defaults: { minPoints: 2 } }).perMetric[0]?.result).toBe('pass');
    const nan = judge([m('q', [Number.NaN, Number.NaN, Number.NaN, Number.NaN], LOWER)]);
    expect(nan.perMetric[0]).toMatchObject({ result: 'noData', detail: { canaryCount: 0, canaryMissing: 4 } });
  });

  it('n = m = 3 cannot reach 95 %: NoData even at complete separation', () => {
    const v = judge([m('q', [4, 5, 6], [1, 2, 3])]);
    expect(v.perMetric[0]?.result).toBe('noData');
    expect(v.reasons[0]).toBe('q: NoData — too few points for a 95% interval (n=3/3) (noData: fail)');
  });

  it('NaN strategy replace counts missing values as 0', () => {
    // Canary [NaN, NaN, NaN, NaN] → [0, 0, 0, 0] against 1..4: a significant decrease.
    const v = judge([m('q', [Number.NaN, Number.NaN, Number.NaN, Number.NaN], LOWER, {})], { defaults: { nanStrategy: 'replace' } });
    expect(v.perMetric[0]).toMatchObject({ result: 'low', detail: { canaryCount: 4, canaryMissing: 4 } });
    // Infinity is not a number a rank test can place either.
    expect(judge([m('q', [5, 6, 7, 8, Infinity], LOWER)]).perMetric[0]?.detail).toMatchObject({ canaryCount: 4, canaryMissing: 1 });
  });

  it('removes IQR outliers per side when asked, and says how many', () => {
    // Baseline [1,2,3,4,5,1000]: type-7 quartiles 2.25 and 4.75, IQR 2.5; with factor 3 the
    // fence is 4.75 + 7.5 = 12.25, so 1000 goes. Without removal its mean drags the effect size below 1.
    const canary = [6, 7, 8, 9, 10, 11];
    const baseline = [1, 2, 3, 4, 5, 1000];
    const kept = judge([m('q', canary, baseline)]);
    expect(kept.perMetric[0]).toMatchObject({ result: 'pass', detail: { baselineOutliers: 0 } });
    const removed = judge([m('q', canary, baseline)], { defaults: { outliers: 'remove' } });
    expect(removed.perMetric[0]).toMatchObject({ result: 'high', detail: { baselineCount: 5, baselineOutliers: 1, canaryOutliers: 0 } });
  });
});
