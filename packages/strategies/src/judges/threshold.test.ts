import type { MeasurementV1 } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { judgeThresholds, thresholdJudge } from './threshold.js';

function m(query: string, value: number | null, limits: { lowerLimit?: number; upperLimit?: number }): MeasurementV1 {
  return { query, rendered: query, ...limits, canary: { value } };
}

describe('thresholdJudge', () => {
  it('is a v1 judge of kind threshold', () => {
    const judge = thresholdJudge();
    expect(judge).toMatchObject({ specificationVersion: 'v1', kind: 'threshold' });
  });

  it('passes when every value is within its limits (inclusive)', () => {
    const verdict = judgeThresholds([m('errors', 0.05, { lowerLimit: 0, upperLimit: 0.05 }), m('latency', 120, { lowerLimit: 120 })], { noData: 'fail' });
    expect(verdict.verdict).toBe('pass');
    expect(verdict.score).toBe(100);
    expect(verdict.perMetric.map((p) => p.result)).toEqual(['pass', 'pass']);
    expect(verdict.reasons).toEqual(['errors: 0.05 is within [0, 0.05]', 'latency: 120 is within [120, ∞]']);
  });

  it('fails naming the value and the limit it broke', () => {
    const verdict = judgeThresholds(
      [m('errors', 0.07, { upperLimit: 0.05 }), m('throughput', 3, { lowerLimit: 10, upperLimit: 100 }), m('latency', 50, { upperLimit: 100 })],
      { noData: 'fail' },
    );
    expect(verdict.verdict).toBe('fail');
    expect(verdict.perMetric.map((p) => p.result)).toEqual(['high', 'low', 'pass']);
    expect(verdict.reasons).toContain('errors: 0.07 is above the upper limit 0.05');
    expect(verdict.reasons).toContain('throughput: 3 is below the lower limit 10');
    expect(verdict.score).toBe(33);
  });

  it('follows noData for a query without a value', () => {
    const measurements = [m('errors', null, { upperLimit: 1 }), m('latency', 5, { upperLimit: 10 })];
    expect(judgeThresholds(measurements, { noData: 'fail' }).verdict).toBe('fail');
    expect(judgeThresholds(measurements, { noData: 'pass' })).toMatchObject({ verdict: 'pass', score: 100 });
    expect(judgeThresholds(measurements, { noData: 'pause' }).verdict).toBe('noData');
    expect(judgeThresholds(measurements, { noData: 'fail' }).reasons).toContain('errors: no data (noData: fail)');
  });

  it('treats NaN as no data, and a broken limit wins over missing data', () => {
    expect(judgeThresholds([m('errors', Number.NaN, { upperLimit: 1 })], { noData: 'pause' }).verdict).toBe('noData');
    expect(judgeThresholds([m('errors', null, { upperLimit: 1 }), m('latency', 50, { upperLimit: 10 })], { noData: 'pause' }).verdict).toBe('fail');
  });

  it('reports noData when nothing was measured', () => {
    expect(judgeThresholds([], { noData: 'pass' }).verdict).toBe('noData');
  });
});
