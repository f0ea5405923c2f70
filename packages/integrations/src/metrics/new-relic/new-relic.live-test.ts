// Runs against the real New Relic NerdGraph API. Collected only when FERRY_NEW_RELIC_API_KEY
// and FERRY_NEW_RELIC_ACCOUNT_ID are set (see vitest.config.ts and src/metrics/README.md).
import { describe, expect, it } from 'vitest';
import { FerryInputError } from '@ferry/core';
import { newRelicMetricProvider } from './index.js';

const apiKey = process.env.FERRY_NEW_RELIC_API_KEY ?? '';
const accountId = process.env.FERRY_NEW_RELIC_ACCOUNT_ID ?? '0';
const region = process.env.FERRY_NEW_RELIC_REGION === 'EU' ? 'EU' : 'US';
const QUERY = process.env.FERRY_NEW_RELIC_QUERY ?? 'SELECT count(*) FROM Transaction';

function lastHour() {
  const end = Date.now();
  return { start: end - 3_600_000, end, stepSeconds: 300 };
}

describe('newRelic (live)', () => {
  const provider = newRelicMetricProvider({ name: 'nr-live', apiKey, accountId, region });
  const signal = () => new AbortController().signal;

  it('reaches the account', async () => {
    expect(await provider.testConnection({ signal: signal() })).toMatchObject({ ok: true });
  });

  it('answers a single-value query with a number or no data', async () => {
    const result = await provider.query({ query: QUERY, window: lastHour(), signal: signal() });
    expect(result.value === null || Number.isFinite(result.value)).toBe(true);
    expect(JSON.stringify(result.raw)).not.toContain(apiKey);
  });

  it('answers a TIMESERIES query with a series', async () => {
    const result = await provider.query({ query: `${QUERY} TIMESERIES 5 minutes`, window: lastHour(), signal: signal() });
    expect(Array.isArray(result.series)).toBe(true);
  });

  it('rejects NRQL with a syntax error as FerryInputError', async () => {
    await expect(provider.query({ query: 'SELECT count(*) FRM Transaction', window: lastHour(), signal: signal() })).rejects.toBeInstanceOf(FerryInputError);
  });

  it('rejects a wrong key without showing it', async () => {
    const wrongKey = 'NRAK-NOTAREALKEY000000000000000';
    const wrong = newRelicMetricProvider({ name: 'nr-live', apiKey: wrongKey, accountId, region });
    const error = (await wrong.query({ query: QUERY, window: lastHour(), signal: signal() }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error.message).not.toContain(wrongKey);
  });
});
