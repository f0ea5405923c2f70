import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomial, cdf, exactPValue, lowerTail, quantile } from './exact-distribution.js';

/** P(U ≤ u) by listing every way to place n x's among n + m ranks: U = Σ over x of the y's below it. */
function enumeratedCdf(n: number, m: number): number[] {
  const counts = new Array<number>(n * m + 1).fill(0);
  const visit = (position: number, xsLeft: number, ysSeen: number, u: number) => {
    if (position === n + m) {
      if (xsLeft === 0) counts[u] = (counts[u] ?? 0) + 1;
      return;
    }
    if (xsLeft > 0) visit(position + 1, xsLeft - 1, ysSeen, u + ysSeen);
    if (ysSeen < m) visit(position + 1, xsLeft, ysSeen + 1, u);
  };
  visit(0, n, 0, 0);
  const total = counts.reduce((a, b) => a + b, 0);
  let running = 0;
  return counts.map((c) => (running += c) / total);
}

describe('exact Mann-Whitney distribution', () => {
  it('n = m = 2: the 6 orderings give U = 0,1,2,2,3,4', () => {
    // xxyy → U=4, xyxy → 3, xyyx → 2, yxxy → 2, yxyx → 1, yyxx → 0 (U counts y's below each x).
    expect(Array.from(lowerTail(2, 2))).toEqual([1 / 6, 2 / 6, 4 / 6]);
    expect(cdf(2, 2, 3)).toBeCloseTo(5 / 6, 15);
    expect(cdf(2, 2, 4)).toBe(1);
  });

  it('n = 5, m = 4: counts of U = 0..4 are the partitions 1, 1, 2, 3, 5 of C(9,4) = 126', () => {
    expect(binomial(9, 4)).toBe(126);
    expect(Array.from(lowerTail(5, 4).subarray(0, 5))).toEqual([1, 2, 4, 7, 12].map((c) => c / 126));
    // Two-sided p of U = 16: P(U ≥ 16) = P(U ≤ 4) = 12/126, doubled.
    expect(exactPValue(5, 4, 16)).toBeCloseTo(24 / 126, 15);
    // qwilcox(0.025, 5, 4): P(U ≤ 1) = 2/126 < 0.025 ≤ P(U ≤ 2) = 4/126.
    expect(quantile(5, 4, 0.025)).toBe(2);
  });

  it('matches enumeration of every ordering for small sizes, both ways round', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), (n, m) => {
        const expected = enumeratedCdf(n, m);
        for (let u = 0; u <= n * m; u++) {
          expect(cdf(n, m, u)).toBeCloseTo(expected[u] as number, 12);
          expect(cdf(m, n, u)).toBeCloseTo(expected[u] as number, 12);
        }
      }),
      { numRuns: 40, seed: 1127 },
    );
  });

  it('caps the p-value at 1 and is symmetric in U', () => {
    expect(exactPValue(4, 4, 8)).toBe(1);
    expect(exactPValue(4, 4, 3)).toBeCloseTo(exactPValue(4, 4, 13), 15);
  });
});
