import type { Json } from '@ferry/core';

export interface TrimLimits {
  maxItems: number;
  maxString: number;
  maxDepth: number;
}

const DEFAULT_LIMITS: TrimLimits = { maxItems: 50, maxString: 1000, maxDepth: 8 };

/**
 * A provider's answer made small enough to persist with a measurement: long arrays keep
 * their first `maxItems` entries plus a note of how many were dropped, long strings are cut,
 * deep nesting is summarised, and non-finite numbers become null (JSON has no NaN).
 */
export function trimRaw(value: unknown, limits: TrimLimits = DEFAULT_LIMITS, depth = 0): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > limits.maxString ? `${value.slice(0, limits.maxString)}… (${value.length - limits.maxString} more chars)` : value;
  if (depth >= limits.maxDepth) return '… (nested too deep)';
  if (Array.isArray(value)) {
    const kept = value.slice(0, limits.maxItems).map((item) => trimRaw(item, limits, depth + 1));
    if (value.length > limits.maxItems) kept.push(`… ${value.length - limits.maxItems} more`);
    return kept;
  }
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) out[key] = trimRaw(item, limits, depth + 1);
    return out;
  }
  return String(value);
}
