import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kthDifference, kthDifferencePair, workspace } from './pairwise-differences.js';

const sorted = (values: number[]) => Float64Array.from(values).sort();
function allDifferences(x: Float64Array, y: Float64Array): number[] {
  const out: number[] = [];
  for (const a of x) for (const b of y) out.push(a - b);
  return out.sort((a, b) => a - b);
}

describe('order statistics of pairwise differences', () => {
  it('picks from the 20 differences of x = [3,5,6,8,9], y = [1,2,4,7]', () => {
    // Sorted: -4 -2 -1 -1 1 1 1 2 2 2 3 4 4 4 5 5 6 7 7 8 (see mann-whitney-test.test.ts).
    const x = sorted([3, 5, 6, 8, 9]);
    const y = sorted([1, 2, 4, 7]);
    expect([1, 2, 4, 5, 10, 11, 19, 20].map((k) => kthDifference(x, y, k))).toEqual([-4, -2, -1, 1, 2, 3, 7, 8]);
    expect(kthDifferencePair(x, y, 10)).toEqual([2, 3]);
    expect(() => kthDifference(x, y, 21)).toThrow(RangeError);
  });

  it('agrees with sorting all differences, with ties, any hint, and a reused workspace', () => {
    const ws = workspace(4);
    const values = fc.array(fc.oneof(fc.integer({ min: -20, max: 20 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(values, values, fc.double({ noNaN: true }), fc.double({ noNaN: true }), fc.nat(), (xs, ys, guess, density, pick) => {
        const x = sorted(xs);
        const y = sorted(ys);
        const all = allDifferences(x, y);
        const k = 1 + (pick % all.length);
        const scratch = ws.probe.length >= x.length ? ws : workspace(x.length);
        expect(kthDifference(x, y, k, scratch, { guess, density })).toBe(all[k - 1]);
        if (k < all.length) expect(kthDifferencePair(x, y, k, scratch, { guess, density })).toEqual([all[k - 1], all[k]]);
      }),
      { numRuns: 400, seed: 1127 },
    );
  });

  it('handles large blocks of equal differences (constant samples)', () => {
    const x = sorted(Array(50).fill(2));
    const y = sorted([...Array(30).fill(1), ...Array(20).fill(0.5)]);
    const all = allDifferences(x, y);
    for (const k of [1, 600, 1000, 1001, 2500]) expect(kthDifference(x, y, k)).toBe(all[k - 1]);
  });
});
