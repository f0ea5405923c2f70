import type { MetricProviderV1 } from '@ferry/core';

/**
 * A metric provider answering from a fixed table: the query's name (before `{`) → value.
 * A stand-in for a real backend that keeps the example free of network calls.
 */
export function tableMetricProvider(name: string, table: Record<string, number>): MetricProviderV1 {
  return {
    specificationVersion: 'v1',
    kind: 'table',
    name,
    async query({ query, signal }) {
      signal.throwIfAborted();
      const key = query.split('{')[0]?.trim() ?? query;
      const value = table[key];
      return { value: value ?? null, raw: { key } };
    },
    async testConnection() {
      return { ok: true };
    },
  };
}
