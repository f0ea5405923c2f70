// Runs against the real Datadog API. Collected only when FERRY_DD_API_KEY and
// FERRY_DD_APP_KEY are set (see vitest.config.ts and src/metrics/README.md).
import { describe, expect, it } from 'vitest';
import { FerryInputError } from '@ferry/core';
import { datadogMetricProvider } from './index.js';

const apiKey = process.env.FERRY_DD_API_KEY ?? '';
const applicationKey = process.env.FERRY_DD_APP_KEY ?? '';
const site = process.env.FERRY_DD_SITE ?? 'datadoghq.com';
const QUERY = process.env.FERRY_DD_QUERY ?? 'avg:datadog.estimated_usage.hosts{*}.rollup(avg, 300)';

function lastHour() {
  const end = Date.now();
  return { start: end - 3_600_000, end, stepSeconds: 300 };
}

describe('datadog (live)', () => {
  const provider = datadogMetricProvider({ name: 'dd-live', apiKey, applicationKey, site });
  const signal = () => new AbortController().signal;

  it('validates the API key', async () => {
    expect(await provider.testConnection({ signal: signal() })).toMatchObject({ ok: true });
  });

  it('answers a query with a number or no data', async () => {
    const result = await provider.query({ query: QUERY, window: lastHour(), signal: signal() });
    expect(result.value === null || Number.isFinite(result.value)).toBe(true);
    expect(Array.isArray(result.series)).toBe(true);
    expect(JSON.stringify(result.raw)).not.toContain(apiKey);
  });

  it('rejects a malformed query with FerryInputError', async () => {
    await expect(provider.query({ query: 'avg:system.cpu.idle{', window: lastHour(), signal: signal() })).rejects.toBeInstanceOf(FerryInputError);
  });

  it('rejects a wrong API key without showing it', async () => {
    const wrongKey = `${apiKey.slice(0, 8)}-not-a-key-0000`;
    const wrong = datadogMetricProvider({ name: 'dd-live', apiKey: wrongKey, applicationKey, site });
    const error = (await wrong.query({ query: QUERY, window: lastHour(), signal: signal() }).catch((e: unknown) => e)) as FerryInputError;
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error.code).toBe('metric_auth_failed');
    expect(error.message).not.toContain(wrongKey);
    expect(error.message).not.toContain(applicationKey);
  });
});
