import type { MeasurementV1 } from '@ferry/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mannWhitneyJudge } from './judge.js';
import type { MannWhitneyJudgeOptions } from './options.js';

const step = { noData: 'fail' } as never;
const measure = (canary: number[], baseline: number[]): MeasurementV1[] => [
  { query: 'q', rendered: 'q', canary: { value: null, series: canary }, baseline: { value: null, series: baseline } },
];
function classify(canary: number[], baseline: number[], options: MannWhitneyJudgeOptions): string | undefined {
  return mannWhitneyJudge(options).judge({ measurements: measure(canary, baseline), step }).perMetric[0]?.result;
}

// Positive integers: ratios of means compare like the means, and shifting is exact.
const series = fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 4, maxLength: 45 });
const either: MannWhitneyJudgeOptions = { defaults: { direction: 'either' } };
const FLIP: Record<string, string> = { high: 'low', low: 'high', pass: 'pass', noData: 'noData' };

describe('mannWhitneyJudge: properties', () => {
  it('swapping canary and baseline flips High and Low (and keeps Pass and NoData)', () => {
    fc.assert(
      fc.property(series, series, (a, b) => {
        expect(classify(b, a, either)).toBe(FLIP[classify(a, b, either) ?? '']);
      }),
      { numRuns: 300, seed: 1127 },
    );
  });

  it('shifting the canary up never turns High into Low', () => {
    fc.assert(
      fc.property(series, series, fc.integer({ min: 0, max: 100 }), fc.constantFrom('either', 'increase', 'decrease'), (canary, baseline, shift, direction) => {
        // The interval only moves up with the canary, and the mean ratio only grows.
        const options: MannWhitneyJudgeOptions = { defaults: { direction: direction as 'either' } };
        const before = classify(canary, baseline, options);
        const after = classify(
          canary.map((v) => v + shift),
          baseline,
          options,
        );
        if (before === 'high') expect(after).not.toBe('low');
      }),
      { numRuns: 300, seed: 1127 },
    );
  });

  it('adding the same constant to both sides keeps the classification (no allowed change: only the shift counts)', () => {
    fc.assert(
      fc.property(series, series, fc.integer({ min: 0, max: 1000 }), (canary, baseline, c) => {
        expect(classify(canary.map((v) => v + c), baseline.map((v) => v + c), either)).toBe(classify(canary, baseline, either));
      }),
      { numRuns: 300, seed: 1127 },
    );
  });

  it('keeps the score within 0–100 and passes exactly at a score ≥ pass with no critical failure or missing data', () => {
    const metric = fc.record({ canary: series, baseline: series, weight: fc.integer({ min: 1, max: 5 }) });
    fc.assert(
      fc.property(fc.array(metric, { minLength: 1, maxLength: 4 }), fc.integer({ min: 50, max: 100 }), (metrics, pass) => {
        const measurements = metrics.flatMap((x, i) => measure(x.canary, x.baseline).map((mm) => ({ ...mm, query: `q${i}` })));
        const options: MannWhitneyJudgeOptions = { pass, marginal: 40, metrics: Object.fromEntries(metrics.map((x, i) => [`q${i}`, { weight: x.weight }])) };
        const v = mannWhitneyJudge(options).judge({ measurements, step });
        if (v.score === undefined) expect(v.perMetric.every((p) => p.result === 'noData')).toBe(true);
        else {
          expect(v.score).toBeGreaterThanOrEqual(0);
          expect(v.score).toBeLessThanOrEqual(100);
          const missing = v.perMetric.some((p) => p.result === 'noData');
          expect(v.verdict === 'pass').toBe(!missing && v.score >= pass);
        }
      }),
      { numRuns: 150, seed: 1127 },
    );
  });
});
