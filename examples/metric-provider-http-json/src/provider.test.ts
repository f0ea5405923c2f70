import { FerryError } from '@ferry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { httpJsonMetricProvider } from './provider.js';
import { startMetricsServer } from './metrics-server.test-support.js';
import { valueAtPath } from './value-at-path.js';

let server: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const WINDOW = { start: Date.UTC(2026, 0, 1, 12, 0, 0), end: Date.UTC(2026, 0, 1, 12, 1, 0), stepSeconds: 15 };
const signal = () => new AbortController().signal;

describe('httpJsonMetricProvider against a real HTTP server', () => {
  it('GETs the query and window as URL parameters with its headers, and reads the number at valuePath', async () => {
    server = await startMetricsServer(() => ({ json: { data: { result: [{ value: '0.25' }], points: [0.2, null, 0.3] } } }));
    const provider = httpJsonMetricProvider({
      name: 'metrics',
      url: `${server.url}/api/query?tenant=shop`,
      valuePath: 'data.result[0].value',
      seriesPath: 'data.points',
      headers: { authorization: 'Bearer metrics-token' },
    });
    const result = await provider.query({ query: 'errors{app="shop"}', window: WINDOW, signal: signal() });
    expect(result.value).toBe(0.25);
    expect(result.series).toEqual([0.2, 0.3]);
    expect(result.raw).toEqual({ data: { result: [{ value: '0.25' }], points: [0.2, null, 0.3] } });
    expect(server.seen).toEqual([
      {
        method: 'GET',
        path: '/api/query',
        params: { tenant: 'shop', query: 'errors{app="shop"}', start: '2026-01-01T12:00:00.000Z', end: '2026-01-01T12:01:00.000Z', step: '15' },
        body: undefined,
        authorization: 'Bearer metrics-token',
      },
    ]);
  });

  it('POSTs a JSON body with method POST; a missing value is no data', async () => {
    server = await startMetricsServer(() => ({ json: { value: null } }));
    const provider = httpJsonMetricProvider({ name: 'm', url: `${server.url}/q`, method: 'POST' });
    expect(await provider.query({ query: 'latency', window: WINDOW, signal: signal() })).toMatchObject({ value: null });
    expect(server.seen[0]).toMatchObject({ method: 'POST', body: { query: 'latency', start: '2026-01-01T12:00:00.000Z', end: '2026-01-01T12:01:00.000Z', stepSeconds: 15 } });
  });

  it('reports an HTTP error, a non-number and a dead server as unavailable, without the headers', async () => {
    server = await startMetricsServer((r) => (r.params.query === 'boom' ? { status: 503, text: 'overloaded' } : { json: { value: 'n/a' } }));
    const provider = httpJsonMetricProvider({ name: 'm', url: `${server.url}/q`, headers: { authorization: 'Bearer secret-value' } });
    const http = await provider.query({ query: 'boom', window: WINDOW, signal: signal() }).catch((e: unknown) => e);
    expect(http).toBeInstanceOf(FerryError);
    expect(http).toMatchObject({ code: 'metric_unavailable', message: expect.stringContaining('HTTP 503') });
    const notNumber = await provider.query({ query: 'x', window: WINDOW, signal: signal() }).catch((e: unknown) => e);
    expect(notNumber).toMatchObject({ code: 'metric_bad_answer', message: expect.stringContaining('is not a number: "n/a"') });
    await server.close();
    const dead = await provider.query({ query: 'x', window: WINDOW, signal: signal() }).catch((e: unknown) => e);
    expect(dead).toMatchObject({ code: 'metric_unavailable', message: expect.stringContaining('unreachable') });
    for (const error of [http, notNumber, dead]) expect(String((error as Error).message)).not.toContain('secret-value');
    server = undefined;
  });

  it('tests the connection against healthUrl', async () => {
    server = await startMetricsServer((r) => (r.path === '/health' ? { json: { ok: true } } : { status: 500, text: 'no' }));
    const healthy = httpJsonMetricProvider({ name: 'm', url: `${server.url}/q`, healthUrl: `${server.url}/health` });
    expect(await healthy.testConnection({ signal: signal() })).toEqual({ ok: true });
    const unhealthy = httpJsonMetricProvider({ name: 'm', url: `${server.url}/q` });
    expect(await unhealthy.testConnection({ signal: signal() })).toMatchObject({ ok: false, message: expect.stringContaining('HTTP 500') });
  });

  it('validates its options at construction, naming the plugin and the option', () => {
    expect(() => httpJsonMetricProvider({ name: 'm', url: 'ftp://metrics' })).toThrow(/httpJson.*url/);
    expect(() => httpJsonMetricProvider({ name: '', url: 'http://127.0.0.1:1/q' })).toThrow(/httpJson.*name/);
    expect(() => httpJsonMetricProvider({ name: 'm', url: 'http://127.0.0.1:1/q', timeoutMs: 5 })).toThrow(/httpJson.*timeoutMs/);
  });
});

describe('valueAtPath', () => {
  it('walks objects and array indexes', () => {
    const doc = { a: { b: [{ c: 1 }, { c: [5, 6] }] } };
    expect(valueAtPath(doc, 'a.b[1].c[1]')).toBe(6);
    expect(valueAtPath(doc, 'a.missing.c')).toBeUndefined();
    expect(valueAtPath(doc, '')).toBe(doc);
  });
});
