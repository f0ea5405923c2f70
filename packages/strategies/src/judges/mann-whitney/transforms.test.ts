import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanSorted, mean, median, quantileSorted, removeOutliers, sortInPlace } from './transforms.js';

const sorted = (values: number[]) => Float64Array.from(values).sort();

describe('transforms', () => {
  it('removes or zeroes non-finite values and sorts', () => {
    expect(cleanSorted([3, Number.NaN, 1, Infinity, 2], 'remove')).toEqual({ sorted: sorted([1, 2, 3]), missing: 2 });
    expect(cleanSorted([3, Number.NaN, 1, -Infinity, 2], 'replace')).toEqual({ sorted: sorted([0, 0, 1, 2, 3]), missing: 2 });
    expect(cleanSorted([], 'remove')).toEqual({ sorted: sorted([]), missing: 0 });
  });

  it('sorts like the built-in sort, short and long', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 700 }), (values) => {
        // −0 and 0 are equal to a sort; `+ 0` makes them the same value for toEqual.
        const plain = (a: Float64Array) => Array.from(a, (v) => v + 0);
        expect(plain(sortInPlace(Float64Array.from(values)))).toEqual(plain(Float64Array.from(values).sort()));
      }),
      { numRuns: 200, seed: 1127 },
    );
  });

  it('computes type-7 quantiles: h = (n − 1)·p, interpolated', () => {
    // [1, 2, 3, 4, 5, 1000]: Q1 at h = 1.25 → 2.25; Q3 at h = 3.75 → 4.75; median at 2.5 → 3.5.
    const s = sorted([1, 2, 3, 4, 5, 1000]);
    expect(quantileSorted(s, 0.25)).toBe(2.25);
    expect(quantileSorted(s, 0.75)).toBe(4.75);
    expect(median(s)).toBe(3.5);
    expect(mean(sorted([1, 2, 3, 6]))).toBe(3);
  });

  it('drops values beyond Q1 − f·IQR and Q3 + f·IQR, and keeps short series whole', () => {
    // IQR 2.5: f = 3 → fences −5.25 and 12.25; f = 0.5 → 1 and 6.
    expect(Array.from(removeOutliers(sorted([1, 2, 3, 4, 5, 1000]), 3))).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(removeOutliers(sorted([-50, 1, 2, 3, 4, 5, 1000]), 3))).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(removeOutliers(sorted([1, 2, 3]), 0.1))).toEqual([1, 2, 3]);
    const none = sorted([1, 2, 3, 4]);
    expect(removeOutliers(none, 3)).toBe(none);
  });
});
