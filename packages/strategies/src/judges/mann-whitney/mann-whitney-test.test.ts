import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mannWhitneyTest, rankSum } from './mann-whitney-test.js';
import { normalQuantile } from './normal.js';

const Z95 = normalQuantile(0.975);
const sorted = (values: number[]) => Float64Array.from(values).sort();
const test95 = (x: number[], y: number[]) => mannWhitneyTest(sorted(x), sorted(y), 0.95, Z95);

describe('mannWhitneyTest: hand-computed cases', () => {
  it('complete separation, n = m = 4 (exact)', () => {
    // x = 5..8 beats every y = 1..4: U = 16. Exact: P(U ≥ 16) = P(U = 0) = 1/C(8,4) = 1/70, p = 2/70.
    // qwilcox(0.025, 4, 4) = 1 (P(U ≤ 0) = 1/70 < 0.025 ≤ P(U ≤ 1) = 2/70): the interval is
    // [D(1), D(16)] of the 16 differences, with coverage 1 − 2·P(U ≤ 0) = 68/70.
    // Differences 5−4 … 8−1 = 1..7 with counts 1,2,3,4,3,2,1: D(1) = 1, D(16) = 7, D(8) = D(9) = 4.
    const r = test95([5, 6, 7, 8], [1, 2, 3, 4]);
    expect(r.u).toBe(16);
    expect(r.method).toBe('exact');
    expect(r.pValue).toBeCloseTo(2 / 70, 15);
    expect(r.estimate).toBe(4);
    expect(r.interval).toEqual({ lower: 1, upper: 7, confidence: 68 / 70 });
  });

  it('overlapping samples, n = 5, m = 4 (exact)', () => {
    // U: 3 beats {1,2} → 2; 5 and 6 beat {1,2,4} → 3 + 3; 8 and 9 beat all four → 4 + 4; U = 16.
    // p = 2·P(U ≤ 20 − 16) = 2·12/126 (partitions of 0..4 in a 5×4 box: 1+1+2+3+5 = 12).
    // qwilcox(0.025, 5, 4) = 2, coverage 1 − 2·P(U ≤ 1) = 1 − 4/126.
    // Differences sorted: −4 −2 −1 −1 1 1 1 2 2 2 3 4 4 4 5 5 6 7 7 8
    // → interval [D(2), D(19)] = [−2, 7], estimate (D(10) + D(11))/2 = (2 + 3)/2 = 2.5.
    const r = test95([3, 5, 6, 8, 9], [1, 2, 4, 7]);
    expect(r.u).toBe(16);
    expect(r.method).toBe('exact');
    expect(r.pValue).toBeCloseTo(24 / 126, 15);
    expect(r.estimate).toBe(2.5);
    expect(r.interval).toEqual({ lower: -2, upper: 7, confidence: 1 - 4 / 126 });
  });

  it('ties: normal approximation with tie and continuity corrections', () => {
    // Pooled 1 1 | 2 2 2 2 | 3 | 4: mid-ranks 1.5, 4.5, 7, 8. Rank sum of x = [2,2,3,4] is
    // 4.5 + 4.5 + 7 + 8 = 24, so U = 24 − 4·5/2 = 14. Tie groups 2, 4: Σ(t³ − t) = 6 + 60 = 66.
    // σ² = (16/12)·(9 − 66/(8·7)) = 10.428571…, σ = 3.229330; z = (14 − 8 − 0.5)/σ = 1.703140;
    // p = 2·Φ(−1.703140) = 0.0885419 (Python: math.erfc(1.703140/√2)).
    // c = ⌊8 + 0.5 − 1.959964·3.229330⌋ = ⌊2.1706⌋ = 2. Differences sorted:
    // 0 0 0 0 1 1 1 1 1 1 2 2 2 2 3 3 → [D(2), D(15)] = [0, 3], estimate (D(8) + D(9))/2 = 1.
    const r = test95([2, 2, 3, 4], [1, 1, 2, 2]);
    expect(rankSum(sorted([2, 2, 3, 4]), sorted([1, 1, 2, 2]))).toEqual({ rankSumX: 24, tieTerm: 66 });
    expect(r.u).toBe(14);
    expect(r.method).toBe('normal');
    expect(r.pValue).toBeCloseTo(0.08854192284048613, 12);
    expect(r.estimate).toBe(1);
    expect(r.interval).toEqual({ lower: 0, upper: 3, confidence: 0.95 });
  });

  it('gives no interval when the samples cannot reach the confidence level', () => {
    // n = m = 3: even complete separation has p = 2/20 = 0.1 > 0.05, and qwilcox(0.025, 3, 3) = 0.
    const r = test95([4, 5, 6], [1, 2, 3]);
    expect(r.pValue).toBeCloseTo(0.1, 15);
    expect(r.interval).toBeNull();
  });

  it('is flat for identical constant samples (σ = 0)', () => {
    const r = test95([2, 2, 2], [2, 2, 2, 2]);
    expect(r).toMatchObject({ u: 6, pValue: 1, estimate: 0, method: 'normal' });
    expect(r.interval).toMatchObject({ lower: 0, upper: 0 });
  });
});

describe('mannWhitneyTest: properties', () => {
  const sample = fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 4, maxLength: 70 });

  it('keeps p in [0, 1], the estimate inside the interval, and U in [0, nm]', () => {
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        const r = test95(x, y);
        expect(r.pValue).toBeGreaterThanOrEqual(0);
        expect(r.pValue).toBeLessThanOrEqual(1);
        expect(r.u).toBeGreaterThanOrEqual(0);
        expect(r.u).toBeLessThanOrEqual(x.length * y.length);
        if (r.interval) {
          expect(r.interval.lower).toBeLessThanOrEqual(r.estimate);
          expect(r.estimate).toBeLessThanOrEqual(r.interval.upper);
        }
      }),
      { numRuns: 200, seed: 1127 },
    );
  });

  it('U equals the brute-force count of x > y pairs plus half the ties', () => {
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        let u = 0;
        for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
        expect(test95(x, y).u).toBe(u);
      }),
      { numRuns: 200, seed: 1127 },
    );
  });

  it('swapping the samples mirrors U, the estimate and the interval, and keeps p', () => {
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        const a = test95(x, y);
        const b = test95(y, x);
        expect(b.u).toBe(x.length * y.length - a.u);
        expect(b.pValue).toBeCloseTo(a.pValue, 12);
        expect(b.estimate).toBe(-a.estimate === 0 ? 0 : -a.estimate);
        expect(b.interval === null).toBe(a.interval === null);
        if (a.interval && b.interval) expect([b.interval.lower, b.interval.upper]).toEqual([-a.interval.upper || 0, -a.interval.lower || 0]);
      }),
      { numRuns: 200, seed: 1127 },
    );
  });
});
