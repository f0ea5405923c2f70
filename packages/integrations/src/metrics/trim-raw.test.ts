import { describe, expect, it } from 'vitest';
import { meanOrNull, finiteOrNull } from './numbers.js';
import { trimRaw } from './trim-raw.js';

describe('trimRaw', () => {
  it('keeps small answers as they are', () => {
    expect(trimRaw({ a: [1, 'x', null, true], b: { c: 2 } })).toEqual({ a: [1, 'x', null, true], b: { c: 2 } });
  });

  it('cuts long arrays and strings, and notes what was dropped', () => {
    const limits = { maxItems: 2, maxString: 3, maxDepth: 8 };
    expect(trimRaw([1, 2, 3, 4], limits)).toEqual([1, 2, '… 2 more']);
    expect(trimRaw('abcdef', limits)).toBe('abc… (3 more chars)');
  });

  it('summarises deep nesting and turns non-finite numbers into null', () => {
    expect(trimRaw({ a: { b: { c: 1 } } }, { maxItems: 5, maxString: 10, maxDepth: 2 })).toEqual({ a: { b: '… (nested too deep)' } });
    expect(trimRaw([Number.NaN, Infinity, undefined])).toEqual([null, null, null]);
  });
});

describe('numbers', () => {
  it('parses Prometheus sample strings, with NaN and infinities as null', () => {
    expect(finiteOrNull('0.25')).toBe(0.25);
    expect(finiteOrNull('NaN')).toBeNull();
    expect(finiteOrNull('+Inf')).toBeNull();
    expect(finiteOrNull('')).toBeNull();
    expect(finiteOrNull(null)).toBeNull();
  });

  it('averages the finite values only', () => {
    expect(meanOrNull([1, null, 3])).toBe(2);
    expect(meanOrNull([null])).toBeNull();
  });
});
