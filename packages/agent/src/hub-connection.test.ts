import { describe, expect, it } from 'vitest';
import { backoff } from './hub-connection.js';

describe('reconnect backoff', () => {
  it('grows exponentially up to the ceiling, with full jitter between half the initial delay and the ceiling', () => {
    expect(backoff(1, 500, 30_000, () => 1)).toBe(500);
    expect(backoff(4, 500, 30_000, () => 1)).toBe(4_000);
    expect(backoff(20, 500, 30_000, () => 1)).toBe(30_000);
    expect(backoff(20, 500, 30_000, () => 0)).toBe(250);
    const spread = new Set(Array.from({ length: 50 }, () => backoff(6, 500, 30_000)));
    expect(spread.size).toBeGreaterThan(40);
    for (const delay of spread) expect(delay).toBeGreaterThanOrEqual(250);
  });
});
