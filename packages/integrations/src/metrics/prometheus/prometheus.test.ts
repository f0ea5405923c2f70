import { rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FerryInputError, FerryUnavailableError, type MetricProviderV1, type MetricWindowV1 } from '@ferry/core';
import { freePort } from '../testing/free-port.js';
import { startHttpServer, type LocalServer } from '../testing/http-server.js';
import { startMetricsTarget } from '../testing/metrics-target.js';
import { startPrometheus, type PrometheusServer } from '../testing/prometheus-server.js';
import { selfSignedCert } from '../testing/tls-cert.js';
import { prometheus, prometheusMetricProvider } from './index.js';

const ERROR_RATE = 'sum(rate(http_requests_total{code=~"5.."}[30s])) / sum(rate(http_requests_total[30s]))';
const BEARER = 'bearer-secret-token-123';
const BASIC_PASSWORD = 'basic-secret-password-456';
const fast = { retries: 2, backoff: { baseDelayMs: 10, maxDelayMs: 100 } };

let target: LocalServer;
let prom: PrometheusServer;
let secure: PrometheusServer;
let proxy: LocalServer;
let tls: { dir: string; certFile: string; keyFile: string };
const proxySawAuth: Array<string | undefined> = [];

function lastSeconds(seconds: number): MetricWindowV1 {
  const end = Date.now();
  return { start: end - seconds * 1000, end, stepSeconds: 1 };
}

/** A signal that never aborts, for calls that need one. */
function neverAborted(): AbortSignal {
  return new AbortController().signal;
}

function query(provider: MetricProviderV1, q: string, window = lastSeconds(4), signal = neverAborted()) {
  return provider.query({ query: q, window, signal });
}

beforeAll(async () => {
  target = await startMetricsTarget();
  tls = await selfSignedCert();
  const hash = bcrypt.hashSync(BASIC_PASSWORD, 4);
  const basicHeader = `Basic ${Buffer.from(`ferry:${BASIC_PASSWORD}`).toString('base64')}`;
  [prom, secure] = await Promise.all([
    startPrometheus({ scrapeTargets: [`127.0.0.1:${target.port}`] }),
    startPrometheus({
      webConfig: `tls_server_config:\n  cert_file: ${tls.certFile}\n  key_file: ${tls.keyFile}\nbasic_auth_users:\n  ferry: ${hash}\n`,
      probeHeaders: { Authorization: basicHeader },
      https: true,
    }),
  ]);
  // A reverse proxy in front of Prometheus that demands a bearer token, as an auth proxy would.
  proxy = await startHttpServer((req, res) => {
    proxySawAuth.push(req.headers.authorization);
    if (req.headers.authorization !== `Bearer ${BEARER}`) {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('missing or wrong bearer token');
      return;
    }
    const upstream = httpRequest(`${prom.url}${req.url ?? '/'}`, { method: req.method, headers: { accept: 'application/json' } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  // Wait until the scraped data supports a 30s rate and a few seconds of range points.
  const provider = prometheusMetricProvider({ name: 'warmup', url: prom.url });
  const deadline = Date.now() + 45_000;
  for (;;) {
    // A 30s rate over the last 4 s needs samples from before then: once it has a point per
    // second, every query below (over at most 4 s) has data across its whole window.
    const rate = await query(provider, ERROR_RATE, lastSeconds(5));
    if (rate.value !== null && (rate.series?.length ?? 0) >= 6) break;
    if (Date.now() > deadline) throw new Error('prometheus never had enough samples');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}, 90_000);

afterAll(async () => {
  await Promise.all([prom?.stop(), secure?.stop(), proxy?.close(), target?.close()]);
  if (tls) await rm(tls.dir, { recursive: true, force: true });
});

describe('prometheus against a real Prometheus', () => {
  it('answers an instant query with one number and a range query with the series over the window', async () => {
    const provider = prometheusMetricProvider({ name: 'prom', url: prom.url });
    const result = await query(provider, 'ferry_test_gauge');
    expect(result.value).toBe(42);
    expect(result.series?.length).toBeGreaterThanOrEqual(4);
    expect(result.series?.every((v) => v === 42)).toBe(true);
    expect(result.raw).toMatchObject({ instant: { resultType: 'vector' }, range: { resultType: 'matrix' } });
  });

  it('measures an error-rate query against a target with a known 5xx fraction', async () => {
    const provider = prometheusMetricProvider({ name: 'prom', url: prom.url });
    const result = await query(provider, ERROR_RATE);
    expect(result.value).toBeCloseTo(0.1, 9);
    expect(result.series?.length).toBeGreaterThanOrEqual(4);
    for (const point of result.series ?? []) expect(point).toBeCloseTo(0.1, 9);
  });

  it('uses the range step from the window', async () => {
    const provider = prometheusMetricProvider({ name: 'prom', url: prom.url });
    const end = Date.now();
    const result = await query(provider, 'ferry_test_gauge', { start: end - 4000, end, stepSeconds: 2 });
    expect(result.series).toEqual([42, 42, 42]);
  });

  it('returns a scalar result as the value', async () => {
    const provider = prometheusMetricProvider({ name: 'prom', url: prom.url });
    expect((await query(provider, 'scalar(ferry_test_gauge) * 2')).value).toBe(84);
  });

  it('reports no data as null for an empty vector and for NaN', async () => {
    const provider = prometheusMetricProvider({ name: 'prom', url: prom.url });
    const empty = await query(provider, 'ferry_no_such_metric_total');
    expect(empty).toMatchObject({ value: null, series: [] });
    const nan = await query(provider, 'ferry_test_nan');
    expect(nan).toMatchObject({ value: null, series: [] });
  });

  it('rejects a query returning several series, naming the query and the series count', async () => {
    const provider = prometheusMetricProvider({ name: 'prom', url: prom.url });
    const error = await query(provider, 'http_requests_total').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryInputError);
    expect((error as Error).message).toContain('returned 4 series');
    expect((error as Error).message).toContain('"http_requests_total"');
    expect((error as Error).message).toContain('prometheus "prom"');
  });

  it('turns bad PromQL into a FerryInputError carrying the HTTP status and Prometheus message', async () => {
    const provider = prometheusMetricProvider({ name: 'prom', url: prom.url });
    const error = (await query(provider, 'sum(rate(http_requests_total[').catch((e: unknown) => e)) as FerryInputError;
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error.code).toBe('metric_query_rejected');
    expect(error.details.status).toBe(400);
    expect(error.message).toMatch(/bad_data: .*parse error/);
  });

  it('fails with FerryUnavailableError after its retries when Prometheus is unreachable', async () => {
    const port = await freePort();
    const provider = prometheusMetricProvider({ name: 'gone', url: `http://127.0.0.1:${port}`, ...fast });
    const error = (await query(provider, 'up').catch((e: unknown) => e)) as FerryUnavailableError;
    expect(error).toBeInstanceOf(FerryUnavailableError);
    expect(error.details.attempts).toBe(3);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('sends a bearer token that reaches the server, and never puts it in errors', async () => {
    const withToken = prometheusMetricProvider({ name: 'proxied', url: proxy.url, auth: { bearerToken: BEARER } });
    proxySawAuth.length = 0;
    expect((await query(withToken, 'ferry_test_gauge')).value).toBe(42);
    expect(proxySawAuth).toContain(`Bearer ${BEARER}`);

    const wrong = prometheusMetricProvider({ name: 'proxied', url: proxy.url, auth: { bearerToken: `${BEARER}-wrong` } });
    const error = (await query(wrong, 'ferry_test_gauge').catch((e: unknown) => e)) as FerryInputError;
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error.code).toBe('metric_auth_failed');
    expect(error.details.status).toBe(401);
    expect(JSON.stringify({ message: error.message, details: error.details, stack: error.stack })).not.toContain(BEARER);
  });

  it('authenticates with basic auth over TLS verified with caFile (Prometheus --web.config.file)', async () => {
    const provider = prometheusMetricProvider({
      name: 'secure',
      url: secure.url,
      auth: { username: 'ferry', password: BASIC_PASSWORD },
      tls: { caFile: tls.certFile },
    });
    expect((await query(provider, 'vector(7)')).value).toBe(7);
    expect(await provider.testConnection({ signal: neverAborted() })).toMatchObject({ ok: true, message: expect.stringMatching(/^Prometheus 2\./) });

    const wrong = prometheusMetricProvider({ name: 'secure', url: secure.url, auth: { username: 'ferry', password: 'not-the-password' }, tls: { caFile: tls.certFile } });
    const error = (await query(wrong, 'vector(7)').catch((e: unknown) => e)) as FerryInputError;
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error.details.status).toBe(401);
    expect(error.message).not.toContain('not-the-password');
    const failed = await wrong.testConnection({ signal: neverAborted() });
    expect(failed.ok).toBe(false);
    expect(failed.message).toContain('401');
  });

  it('refuses an unverifiable certificate without retrying, unless insecureSkipVerify is set', async () => {
    const auth = { username: 'ferry', password: BASIC_PASSWORD };
    const unverified = prometheusMetricProvider({ name: 'secure', url: secure.url, auth, ...fast });
    const error = (await query(unverified, 'vector(7)').catch((e: unknown) => e)) as FerryUnavailableError;
    expect(error).toBeInstanceOf(FerryUnavailableError);
    expect(error.code).toBe('metric_provider_tls');
    const skipping = prometheusMetricProvider({ name: 'secure', url: secure.url, auth, tls: { insecureSkipVerify: true } });
    expect((await query(skipping, 'vector(7)')).value).toBe(7);
  });

  it('reports the version from testConnection, and ok: false when unreachable', async () => {
    const provider = prometheusMetricProvider({ name: 'prom', url: prom.url });
    const ok = await provider.testConnection({ signal: neverAborted() });
    expect(ok.ok).toBe(true);
    expect(ok.message).toMatch(/^Prometheus 2\.42/);
    const port = await freePort();
    const gone = prometheusMetricProvider({ name: 'gone', url: `http://127.0.0.1:${port}`, retries: 0 });
    const down = await gone.testConnection({ signal: neverAborted() });
    expect(down.ok).toBe(false);
    expect(down.message).toContain('ECONNREFUSED');
  });
});

describe('prometheus and AbortSignal', () => {
  it('rejects at once with the reason of an already-aborted signal', async () => {
    const provider = prometheusMetricProvider({ name: 'prom', url: prom.url });
    const reason = new Error('cancelled by test');
    await expect(query(provider, 'ferry_test_gauge', lastSeconds(4), AbortSignal.abort(reason))).rejects.toBe(reason);
    await expect(provider.testConnection({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('stops waiting for an answer that never comes', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const provider = prometheusMetricProvider({ name: 'silent', url: `http://127.0.0.1:${port}`, timeoutMs: 60_000 });
      const controller = new AbortController();
      const reason = new Error('deployment cancelled');
      setTimeout(() => controller.abort(reason), 200);
      const started = Date.now();
      await expect(query(provider, 'up', lastSeconds(4), controller.signal)).rejects.toBe(reason);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('stops waiting between retries', async () => {
    const port = await freePort();
    const provider = prometheusMetricProvider({ name: 'gone', url: `http://127.0.0.1:${port}`, retries: 5, backoff: { baseDelayMs: 20_000, maxDelayMs: 60_000 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 200);
    const started = Date.now();
    await expect(query(provider, 'up', lastSeconds(4), controller.signal)).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('prometheus options', () => {
  it('validates options at construction, naming the plugin and the bad option', () => {
    expect(() => prometheusMetricProvider({ name: 'p', url: 'not a url' })).toThrow(/plugin "prometheus": invalid options: url/);
    expect(() => prometheusMetricProvider({ name: 'p', url: 'http://x:9090', tls: { certFile: '/a.pem' } })).toThrow(/certFile and keyFile go together/);
    expect(() => prometheusMetricProvider({ name: 'p', url: 'http://x:9090', tls: { caFile: '/nonexistent/ca.pem' } })).toThrow(/tls\.caFile: cannot read/);
    expect(() => prometheusMetricProvider({ name: '', url: 'http://x:9090' })).toThrow(/name/);
  });

  it('registers the provider under its name through the plugin factory', () => {
    const added: MetricProviderV1[] = [];
    const plugin = prometheus({ name: 'prom', url: 'http://127.0.0.1:9090' });
    plugin.register({ metricProviders: { add: (p: MetricProviderV1) => added.push(p) } } as unknown as Parameters<typeof plugin.register>[0]);
    expect(plugin.id).toBe('metrics.prom');
    expect(added.map((p) => [p.kind, p.name])).toEqual([['prometheus', 'prom']]);
  });
});
