import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canaryReplicasForTrafficWeight, replicasForWeight } from './pod-ratio.js';

describe('replicasForWeight', () => {
  it.each([
    // total, weight, canary, stable
    [4, 0, 0, 4],
    [4, 1, 1, 3], // any weight above 0 runs a canary pod
    [4, 25, 1, 3],
    [4, 50, 2, 2],
    [4, 99, 3, 1], // any weight below 100 keeps a stable pod
    [4, 100, 4, 0],
    [10, 25, 3, 7], // 2.5 rounds half up
    [10, 24, 2, 8],
    [3, 50, 2, 1], // odd count: 1.5 rounds up
    [3, 33, 1, 2],
    [5, 20, 1, 4],
    [5, 70, 4, 1], // 3.5 rounds up
    [7, 10, 1, 6],
    [2, 1, 1, 1],
    [2, 99, 1, 1],
  ])('total %i at weight %i → %i canary, %i stable', (total, weight, canary, stable) => {
    expect(replicasForWeight(total, weight)).toEqual({ canary, stable });
  });

  it('with one replica runs one of each between 0 and 100', () => {
    expect(replicasForWeight(1, 0)).toEqual({ canary: 0, stable: 1 });
    expect(replicasForWeight(1, 1)).toEqual({ canary: 1, stable: 1 });
    expect(replicasForWeight(1, 50)).toEqual({ canary: 1, stable: 1 });
    expect(replicasForWeight(1, 99)).toEqual({ canary: 1, stable: 1 });
    expect(replicasForWeight(1, 100)).toEqual({ canary: 1, stable: 0 });
  });

  it('runs nothing when the Deployment has no replicas', () => {
    expect(replicasForWeight(0, 50)).toEqual({ canary: 0, stable: 0 });
  });

  const totals = fc.integer({ min: 0, max: 500 });
  const weights = fc.double({ min: 0, max: 100, noNaN: true });

  it('never goes negative, keeps the total (except one replica mid-way) and hits the boundaries exactly', () => {
    fc.assert(
      fc.property(totals, weights, (total, weight) => {
        const { canary, stable } = replicasForWeight(total, weight);
        expect(canary).toBeGreaterThanOrEqual(0);
        expect(stable).toBeGreaterThanOrEqual(0);
        if (total !== 1 || weight === 0 || weight === 100) expect(canary + stable).toBe(total);
        if (weight === 0) expect(canary).toBe(0);
        if (weight === 100) expect(stable).toBe(0);
        if (total > 0 && weight > 0 && weight < 100) {
          expect(canary).toBeGreaterThanOrEqual(1);
          expect(stable).toBeGreaterThanOrEqual(1);
        }
      }),
    );
  });

  it('is monotonic in weight', () => {
    fc.assert(
      fc.property(totals, weights, weights, (total, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const x = replicasForWeight(total, low);
        const y = replicasForWeight(total, high);
        expect(y.canary).toBeGreaterThanOrEqual(x.canary);
        expect(y.stable).toBeLessThanOrEqual(x.stable);
      }),
    );
  });

  it('is as close to the weight as the clamp allows (total ≥ 2)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.double({ min: 0.001, max: 99.999, noNaN: true }), (total, weight) => {
        const { canary } = replicasForWeight(total, weight);
        const error = Math.abs(canary / total - weight / 100);
        for (let other = 1; other <= total - 1; other++) {
          expect(error).toBeLessThanOrEqual(Math.abs(other / total - weight / 100) + 1e-9);
        }
      }),
    );
  });
});

describe('canaryReplicasForTrafficWeight', () => {
  it.each([
    [4, 0, 0],
    [4, 1, 1],
    [4, 25, 1],
    [4, 26, 2],
    [4, 100, 4],
    [3, 33.333333333333336, 1],
    [10, 10, 1],
    [1, 50, 1],
    [0, 50, 0],
  ])('total %i at weight %f → %i canary', (total, weight, canary) => {
    expect(canaryReplicasForTrafficWeight(total, weight)).toBe(canary);
  });
});
