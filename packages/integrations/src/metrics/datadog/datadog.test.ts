import { describe, expect, it } from 'vitest';
import { FerryInputError, FerryUnavailableError, type MetricProviderV1 } from '@ferry/core';
import { exposed, useReplayServer } from '../testing/replay-server.js';
import { datadog, datadogMetricProvider, type DatadogOptions } from './index.js';

const API_KEY = 'dd-api-key-0123456789abcdef';
const APP_KEY = 'dd-app-key-fedcba9876543210';
const QUERY = 'avg:trace.http.request.errors{service:shop}.rollup(avg, 60)';
const WINDOW = { start: 1_700_000_000_000, end: 1_700_000_300_500, stepSeconds: 60 };

const server = useReplayServer();

function provider(extra: Partial<DatadogOptions> = {}): MetricProviderV1 {
  return datadogMetricProvider({ name: 'dd', apiKey: API_KEY, applicationKey: APP_KEY, url: server.url, backoff: { baseDelayMs: 10, maxDelayMs: 5_000 }, ...extra });
}

function query(p: MetricProviderV1, q = QUERY, signal = new AbortController().signal) {
  return p.query({ query: q, window: WINDOW, signal });
}

/** The documented `GET /api/v1/query` answer with the given series. */
function timeseries(series: Array<{ scope: string; pointlist: Array<[number, number | null]> }>) {
  return {
    status: 'ok',
    res_type: 'time_series',
    resp_version: 1,
    query: QUERY,
    from_date: WINDOW.start,
    to_date: WINDOW.end,
    series: series.map((s, i) => ({
      metric: 'trace.http.request.errors',
      display_name: 'trace.http.request.errors',
      unit: null,
      pointlist: s.pointlist,
      end: WINDOW.end,
      interval: 60,
      start: WINDOW.start,
      length: s.pointlist.length,
      aggr: 'avg',
      scope: s.scope,
      expression: QUERY,
      tag_set: [],
      query_index: i,
      attributes: {},
    })),
    values: [],
    times: [],
    message: '',
    group_by: [],
  };
}

describe('datadog query', () => {
  it('sends the window and keys, and answers the mean of the non-null points of the single series', async () => {
    server.queue.push({ status: 200, body: timeseries([{ scope: 'service:shop', pointlist: [[1_700_000_060_000, 0.5], [1_700_000_120_000, null], [1_700_000_180_000, 1.5], [1_700_000_240_000, 1.6]] }]) });
    const result = await query(provider());
    // The mean (1.2), not the last point (1.6).
    expect(result.value).toBeCloseTo(1.2, 12);
    expect(result.series).toEqual([0.5, 1.5, 1.6]);
    expect(result.raw).toMatchObject({ status: 'ok', series: [{ scope: 'service:shop' }] });
    const request = server.requests[0];
    const url = new URL(request?.url ?? '', server.url);
    expect(url.pathname).toBe('/api/v1/query');
    expect(Object.fromEntries(url.searchParams)).toEqual({ from: '1700000000', to: '1700000300', query: QUERY });
    expect(request?.headers['dd-api-key']).toBe(API_KEY);
    expect(request?.headers['dd-application-key']).toBe(APP_KEY);
    expect(JSON.stringify(result.raw)).not.toContain(API_KEY);
  });

  it('reports no data as null: no series, or only null points', async () => {
    server.queue.push({ status: 200, body: timeseries([]) });
    expect(await query(provider())).toMatchObject({ value: null, series: [] });
    server.queue.push({ status: 200, body: timeseries([{ scope: 'service:shop', pointlist: [[1_700_000_060_000, null]] }]) });
    expect(await query(provider())).toMatchObject({ value: null, series: [] });
  });

  it('rejects a query returning several series, naming the query and the count', async () => {
    server.queue.push({ status: 200, body: timeseries([{ scope: 'service:shop,version:1', pointlist: [[1, 1]] }, { scope: 'service:shop,version:2', pointlist: [[1, 2]] }]) });
    const error = await query(provider(), 'avg:trace.http.request.errors{service:shop} by {version}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryInputError);
    expect((error as Error).message).toContain('returned 2 series');
    expect((error as Error).message).toContain('by {version}');
  });

  it('turns a 400 into a FerryInputError with the status and Datadog message, without retrying', async () => {
    server.queue.push({ status: 400, body: { errors: ["Error parsing query: unable to parse avg:trace.http.request.errors{service:shop: Rule 'scope_expr' didn't match"] } });
    const error = (await query(provider(), 'avg:trace.http.request.errors{service:shop').catch((e: unknown) => e)) as FerryInputError;
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error.code).toBe('metric_query_rejected');
    expect(error.details.status).toBe(400);
    expect(error.message).toContain("Rule 'scope_expr' didn't match");
    expect(server.requests).toHaveLength(1);
  });

  it('turns a 200 answer with status "error" into a FerryInputError', async () => {
    server.queue.push({ status: 200, body: { status: 'error', res_type: 'time_series', series: [], error: 'Rule \'metric_name\' didn\'t match' } });
    const error = await query(provider()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryInputError);
    expect((error as Error).message).toContain("Rule 'metric_name' didn't match");
  });

  it('turns 403 into a credentials error that never shows the keys, even when echoed back', async () => {
    server.queue.push({ status: 403, body: { errors: [`Forbidden: API key ${API_KEY} with application key ${APP_KEY} is invalid`] } });
    const error = (await query(provider()).catch((e: unknown) => e)) as FerryInputError;
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error.code).toBe('metric_auth_failed');
    expect(error.details.status).toBe(403);
    expect(error.message).toContain('Forbidden');
    expect(exposed(error)).not.toContain(API_KEY);
    expect(exposed(error)).not.toContain(APP_KEY);
  });

  it('waits for X-RateLimit-Reset after a 429, then succeeds', async () => {
    server.queue.push(
      { status: 429, headers: { 'X-RateLimit-Limit': '1600', 'X-RateLimit-Period': '3600', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1', 'X-RateLimit-Name': 'query' }, body: { errors: ['Rate limit of 1600 requests in 3600 seconds reached. Please try again later.'] } },
      { status: 200, body: timeseries([{ scope: 'service:shop', pointlist: [[1, 2]] }]) },
    );
    const started = Date.now();
    expect((await query(provider())).value).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('fails at once when the rate limit resets later than the allowed wait', async () => {
    server.queue.push({ status: 429, headers: { 'X-RateLimit-Reset': '3000' }, body: { errors: ['Rate limit reached.'] } });
    const started = Date.now();
    const error = (await query(provider()).catch((e: unknown) => e)) as FerryUnavailableError;
    expect(error).toBeInstanceOf(FerryUnavailableError);
    expect(error.details).toMatchObject({ status: 429, retryAfterMs: 3_000_000, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('retries 5xx with backoff and succeeds, or gives up with FerryUnavailableError', async () => {
    server.queue.push({ status: 500, body: { errors: ['Internal Server Error'] } }, { status: 502, body: '<html>Bad Gateway</html>' }, { status: 200, body: timeseries([{ scope: 's', pointlist: [[1, 3]] }]) });
    expect((await query(provider())).value).toBe(3);
    expect(server.requests).toHaveLength(3);

    server.requests.length = 0;
    server.queue.push(...Array.from({ length: 3 }, () => ({ status: 503, body: { errors: ['Service Unavailable'] } })));
    const error = (await query(provider({ retries: 2 })).catch((e: unknown) => e)) as FerryUnavailableError;
    expect(error).toBeInstanceOf(FerryUnavailableError);
    expect(error.details).toMatchObject({ attempts: 3, status: 503 });
    expect(error.message).toContain('Service Unavailable');
    expect(server.requests).toHaveLength(3);
  });

  it('times out a slow answer, retries, and reports the timeout', async () => {
    server.queue.push({ status: 200, delayMs: 2_000, body: timeseries([]) }, { status: 200, delayMs: 2_000, body: timeseries([]) });
    const error = (await query(provider({ timeoutMs: 200, retries: 1 })).catch((e: unknown) => e)) as FerryUnavailableError;
    expect(error).toBeInstanceOf(FerryUnavailableError);
    expect(error.message).toContain('timed out after 200 ms');
    expect(server.requests).toHaveLength(2);
  });

  it('stops waiting out a rate limit when the signal aborts', async () => {
    server.queue.push({ status: 429, headers: { 'X-RateLimit-Reset': '4' }, body: { errors: ['Rate limit reached.'] } });
    const controller = new AbortController();
    const reason = new Error('cancelled');
    setTimeout(() => controller.abort(reason), 150);
    const started = Date.now();
    await expect(query(provider(), QUERY, controller.signal)).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('datadog testConnection', () => {
  it('validates the API key with GET /api/v1/validate', async () => {
    server.queue.push({ status: 200, body: { valid: true } });
    expect(await provider().testConnection({ signal: new AbortController().signal })).toEqual({ ok: true, message: 'API key valid' });
    expect(server.requests[0]?.url).toBe('/api/v1/validate');
    server.queue.push({ status: 403, body: { errors: ['Forbidden'] } });
    const failed = await provider().testConnection({ signal: new AbortController().signal });
    expect(failed.ok).toBe(false);
    expect(failed.message).toContain('403');
    expect(failed.message).not.toContain(API_KEY);
  });
});

describe('datadog options', () => {
  it('validates at construction, naming the plugin and option', () => {
    expect(() => datadogMetricProvider({ name: 'dd', apiKey: '', applicationKey: APP_KEY })).toThrow(/plugin "datadog": invalid options: apiKey/);
    expect(() => datadogMetricProvider({ name: 'dd', apiKey: API_KEY, applicationKey: APP_KEY, site: 'https://datadoghq.eu' })).toThrow(/site/);
    expect(() => datadogMetricProvider({ name: 'dd', apiKey: API_KEY, applicationKey: APP_KEY, retries: -1 })).toThrow(/retries/);
  });

  it('never shows a key in an option error', () => {
    const error = (() => {
      try {
        datadogMetricProvider({ name: 'dd', apiKey: API_KEY, applicationKey: APP_KEY, site: 42 } as unknown as DatadogOptions);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FerryInputError);
    expect(exposed(error)).not.toContain(API_KEY);
  });

  it('registers the provider through the plugin factory', () => {
    const added: MetricProviderV1[] = [];
    const plugin = datadog({ name: 'dd', apiKey: API_KEY, applicationKey: APP_KEY, site: 'datadoghq.eu' });
    plugin.register({ metricProviders: { add: (p: MetricProviderV1) => added.push(p) } } as unknown as Parameters<typeof plugin.register>[0]);
    expect(added.map((p) => [p.kind, p.name])).toEqual([['datadog', 'dd']]);
  });
});
