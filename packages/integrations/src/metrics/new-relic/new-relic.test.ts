import { describe, expect, it } from 'vitest';
import { FerryInputError, FerryUnavailableError, type Json, type MetricProviderV1 } from '@ferry/core';
import { exposed, useReplayServer } from '../testing/replay-server.js';
import { newRelic, newRelicMetricProvider, type NewRelicOptions } from './index.js';

const API_KEY = 'NRAK-ABCDEFGHIJKLMNOPQRSTUVWXYZ0';
const WINDOW = { start: 1_700_000_000_000, end: 1_700_000_300_000, stepSeconds: 60 };

const server = useReplayServer();

function provider(extra: Partial<NewRelicOptions> = {}): MetricProviderV1 {
  return newRelicMetricProvider({ name: 'nr', apiKey: API_KEY, accountId: 1234567, url: `${server.url}/graphql`, backoff: { baseDelayMs: 10, maxDelayMs: 5_000 }, ...extra });
}

function query(p: MetricProviderV1, q: string, signal = new AbortController().signal) {
  return p.query({ query: q, window: WINDOW, signal });
}

/** The documented NerdGraph answer to `actor { account { nrql { results } } }`. */
function nrqlAnswer(results: Json[]) {
  return { data: { actor: { account: { nrql: { results } } } } };
}

function sentBody(index = 0): { query: string; variables: Record<string, Json> } {
  return JSON.parse(server.requests[index]?.body ?? '{}') as { query: string; variables: Record<string, Json> };
}

describe('newRelic query', () => {
  it('posts NRQL limited to the window through NerdGraph and reads the single numeric field', async () => {
    server.queue.push({ status: 200, body: nrqlAnswer([{ 'average.duration': 0.25 }]) });
    const result = await query(provider(), "SELECT average(duration) FROM Transaction WHERE appName = 'shop'");
    expect(result.value).toBe(0.25);
    const request = server.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/graphql');
    expect(request?.headers['api-key']).toBe(API_KEY);
    const body = sentBody();
    expect(body.query).toContain('nrql(query: $nrql');
    expect(body.variables).toMatchObject({
      accountId: 1234567,
      nrql: "SELECT average(duration) FROM Transaction WHERE appName = 'shop' SINCE 1700000000000 UNTIL 1700000300000",
    });
    expect(JSON.stringify(result.raw)).not.toContain(API_KEY);
  });

  it('leaves a query that has its own SINCE alone', async () => {
    server.queue.push({ status: 200, body: nrqlAnswer([{ count: 12 }]) });
    expect((await query(provider(), 'SELECT count(*) FROM Transaction SINCE 5 minutes ago')).value).toBe(12);
    expect(sentBody().variables.nrql).toBe('SELECT count(*) FROM Transaction SINCE 5 minutes ago');
  });

  it('reads a single-valued object such as a percentile', async () => {
    server.queue.push({ status: 200, body: nrqlAnswer([{ 'percentile.duration': { '95': 0.31 } }]) });
    expect((await query(provider(), 'SELECT percentile(duration, 95) FROM Transaction')).value).toBe(0.31);
  });

  it('turns TIMESERIES results into the series, with their mean as the value', async () => {
    server.queue.push({
      status: 200,
      body: nrqlAnswer([
        { beginTimeSeconds: 1_700_000_000, endTimeSeconds: 1_700_000_060, 'average.duration': 0.2 },
        { beginTimeSeconds: 1_700_000_060, endTimeSeconds: 1_700_000_120, 'average.duration': null },
        { beginTimeSeconds: 1_700_000_120, endTimeSeconds: 1_700_000_180, 'average.duration': 0.4 },
      ]),
    });
    const result = await query(provider(), 'SELECT average(duration) FROM Transaction TIMESERIES 1 minute');
    expect(result.series).toEqual([0.2, 0.4]);
    expect(result.value).toBeCloseTo(0.3, 12);
  });

  it('reports no data as null: a null field or no rows', async () => {
    server.queue.push({ status: 200, body: nrqlAnswer([{ 'average.duration': null }]) }, { status: 200, body: nrqlAnswer([]) });
    expect((await query(provider(), 'SELECT average(duration) FROM Transaction')).value).toBeNull();
    expect((await query(provider(), 'SELECT average(duration) FROM Transaction')).value).toBeNull();
  });

  it('rejects several rows (FACET) and several fields, naming the query', async () => {
    server.queue.push(
      { status: 200, body: nrqlAnswer([{ facet: 'a', count: 1 }, { facet: 'b', count: 2 }]) },
      { status: 200, body: nrqlAnswer([{ count: 1, 'average.duration': 2 }]) },
    );
    const facet = await query(provider(), 'SELECT count(*) FROM Transaction FACET appName').catch((e: unknown) => e);
    expect(facet).toBeInstanceOf(FerryInputError);
    expect((facet as Error).message).toContain('returned 2 rows');
    expect((facet as Error).message).toContain('FACET appName');
    const fields = await query(provider(), 'SELECT count(*), average(duration) FROM Transaction').catch((e: unknown) => e);
    expect(fields).toBeInstanceOf(FerryInputError);
    expect((fields as Error).message).toContain('count, average.duration');
  });

  it('turns GraphQL errors into a FerryInputError with their message, without retrying', async () => {
    server.queue.push({
      status: 200,
      body: {
        data: { actor: { account: { nrql: null } } },
        errors: [{ locations: [{ column: 3, line: 2 }], message: "NRQL Syntax Error: Error at line 1 position 8, unexpected 'FRM'", path: ['actor', 'account', 'nrql'] }],
      },
    });
    const error = (await query(provider(), 'SELECT count(*) FRM Transaction').catch((e: unknown) => e)) as FerryInputError;
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error.code).toBe('metric_query_rejected');
    expect(error.message).toContain("NRQL Syntax Error: Error at line 1 position 8, unexpected 'FRM'");
    expect(server.requests).toHaveLength(1);
  });

  it('retries a GraphQL timeout error and then succeeds', async () => {
    server.queue.push(
      { status: 200, body: { data: { actor: { account: { nrql: null } } }, errors: [{ message: 'NRDB query timed out', extensions: { errorClass: 'TIMEOUT' } }] } },
      { status: 200, body: nrqlAnswer([{ count: 5 }]) },
    );
    expect((await query(provider(), 'SELECT count(*) FROM Transaction')).value).toBe(5);
    expect(server.requests).toHaveLength(2);
  });

  it('waits for Retry-After after a 429, then succeeds', async () => {
    server.queue.push({ status: 429, headers: { 'Retry-After': '1' }, body: { errors: [{ message: 'Too many requests' }] } }, { status: 200, body: nrqlAnswer([{ count: 9 }]) });
    const started = Date.now();
    expect((await query(provider(), 'SELECT count(*) FROM Transaction')).value).toBe(9);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up on a persistent 429 with FerryUnavailableError after its retries', async () => {
    server.queue.push(...Array.from({ length: 2 }, () => ({ status: 429, body: { errors: [{ message: 'Too many requests' }] } })));
    const error = (await query(provider({ retries: 1 }), 'SELECT count(*) FROM Transaction').catch((e: unknown) => e)) as FerryUnavailableError;
    expect(error).toBeInstanceOf(FerryUnavailableError);
    expect(error.details).toMatchObject({ status: 429, attempts: 2 });
  });

  it('reports a bad key as a credentials error without the key, even when echoed back', async () => {
    server.queue.push({ status: 401, body: { errors: [{ message: `Invalid API key: ${API_KEY}`, extensions: { errorClass: 'UNAUTHORIZED' } }] } });
    const error = (await query(provider(), 'SELECT count(*) FROM Transaction').catch((e: unknown) => e)) as FerryInputError;
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error.code).toBe('metric_auth_failed');
    expect(error.details.status).toBe(401);
    expect(error.message).toContain('Invalid API key');
    expect(exposed(error)).not.toContain(API_KEY);

    server.queue.push({ status: 200, body: { data: { actor: { account: null } }, errors: [{ message: `Access denied for key ${API_KEY}`, extensions: { errorClass: 'FORBIDDEN' } }] } });
    const forbidden = (await query(provider(), 'SELECT count(*) FROM Transaction').catch((e: unknown) => e)) as FerryInputError;
    expect(forbidden.code).toBe('metric_auth_failed');
    expect(exposed(forbidden)).not.toContain(API_KEY);
  });

  it('honours an abort while a request is in flight', async () => {
    server.queue.push({ status: 200, delayMs: 3_000, body: nrqlAnswer([{ count: 1 }]) });
    const controller = new AbortController();
    const reason = new Error('cancelled');
    setTimeout(() => controller.abort(reason), 150);
    const started = Date.now();
    await expect(query(provider(), 'SELECT count(*) FROM Transaction', controller.signal)).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('newRelic testConnection', () => {
  it('reads the account through NerdGraph', async () => {
    server.queue.push({ status: 200, body: { data: { actor: { account: { id: 1234567, name: 'Shop' } } } } });
    expect(await provider().testConnection({ signal: new AbortController().signal })).toEqual({ ok: true, message: 'account 1234567 (Shop)' });
    expect(sentBody().variables).toEqual({ accountId: 1234567 });
    server.queue.push({ status: 200, body: { data: { actor: { account: null } }, errors: [{ message: 'Account not found', extensions: { errorClass: 'FORBIDDEN' } }] } });
    const failed = await provider().testConnection({ signal: new AbortController().signal });
    expect(failed).toMatchObject({ ok: false, message: expect.stringContaining('Account not found') });
  });
});

describe('newRelic options', () => {
  it('validates at construction and accepts a numeric-string account id', async () => {
    expect(() => newRelicMetricProvider({ name: 'nr', apiKey: API_KEY, accountId: 'abc' })).toThrow(/plugin "newRelic": invalid options: accountId/);
    expect(() => newRelicMetricProvider({ name: 'nr', apiKey: API_KEY, accountId: 1, region: 'APAC' as 'US' })).toThrow(/region/);
    server.queue.push({ status: 200, body: nrqlAnswer([{ count: 1 }]) });
    await query(provider({ accountId: '7654321' }), 'SELECT count(*) FROM Transaction');
    expect(sentBody().variables.accountId).toBe(7654321);
  });

  it('registers the provider through the plugin factory', () => {
    const added: MetricProviderV1[] = [];
    const plugin = newRelic({ name: 'nr', apiKey: API_KEY, accountId: 1, region: 'EU' });
    plugin.register({ metricProviders: { add: (p: MetricProviderV1) => added.push(p) } } as unknown as Parameters<typeof plugin.register>[0]);
    expect(added.map((p) => [p.kind, p.name])).toEqual([['newRelic', 'nr']]);
  });
});
