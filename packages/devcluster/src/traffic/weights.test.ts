import { describe, expect, it } from 'vitest';
import { parseWeight, RoundRobin, WeightedRoundRobin } from './weights.js';

describe('WeightedRoundRobin', () => {
  it('follows the weights exactly over a full cycle and interleaves picks', () => {
    const wrr = new WeightedRoundRobin();
    const items = [
      { key: 'a', weight: 5 },
      { key: 'b', weight: 0 },
      { key: 'c', weight: 1 },
      { key: 'd', weight: 1 },
    ];
    const picks = Array.from({ length: 7 }, () => wrr.pick(items)?.key);
    expect(picks.filter((k) => k === 'a')).toHaveLength(5);
    expect(picks.filter((k) => k === 'c')).toHaveLength(1);
    expect(picks.filter((k) => k === 'd')).toHaveLength(1);
    expect(picks).not.toContain('b');
    expect(picks.slice(0, 3)).not.toEqual(['a', 'a', 'a']);
    const counts: Record<string, number> = {};
    const split = [
      { key: 'stable', weight: 90 },
      { key: 'canary', weight: 10 },
    ];
    for (let i = 0; i < 1000; i++) {
      const key = wrr.pick(split)!.key;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    expect(counts).toEqual({ stable: 900, canary: 100 });
  });

  it('picks nothing when every weight is 0', () => {
    expect(new WeightedRoundRobin().pick([{ key: 'a', weight: 0 }])).toBeUndefined();
    expect(new WeightedRoundRobin().pick([])).toBeUndefined();
  });
});

describe('RoundRobin', () => {
  it('cycles through the current list', () => {
    const rr = new RoundRobin();
    expect([1, 2, 3, 4].map(() => rr.pick(['x', 'y', 'z']))).toEqual(['x', 'y', 'z', 'x']);
    expect(rr.pick([])).toBeUndefined();
  });
});

describe('parseWeight', () => {
  it('reads SMI weights', () => {
    expect(parseWeight(25, 1)).toBe(25);
    expect(parseWeight('500m', 1)).toBe(0.5);
    expect(parseWeight('3', 1)).toBe(3);
    expect(parseWeight(undefined, 1)).toBe(1);
    expect(parseWeight('bogus', 1)).toBe(1);
  });
});
