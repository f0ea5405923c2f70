import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from './normal.js';

describe('normal distribution', () => {
  it('matches reference values of Φ (R: pnorm) to about 1e-15', () => {
    const cases: Array<[number, number]> = [
      [0, 0.5],
      [1, 0.8413447460685429],
      [-1.96, 0.024997895148220435],
      [2.5, 0.9937903346742238],
      [-3, 0.0013498980316301],
      [-5, 2.866515718791939e-7],
      [-8, 6.22096057427178e-16],
    ];
    for (const [x, expected] of cases) expect(Math.abs(normalCdf(x) - expected) / expected).toBeLessThan(1e-12);
  });

  it('inverts Φ (R: qnorm)', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 12);
    for (const p of [0.001, 0.2, 0.6, 0.9, 0.9999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
  });

  it('refuses p outside (0, 1)', () => {
    expect(() => normalQuantile(1)).toThrow(RangeError);
    expect(() => normalQuantile(0)).toThrow(RangeError);
  });
});
