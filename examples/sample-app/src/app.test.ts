import { once } from 'node:events';
import { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSampleApp, type SampleApp } from './app.js';
import { readConfigFromEnv } from './config.js';

const running: SampleApp[] = [];

async function start(env: Record<string, string>): Promise<{ app: SampleApp; base: string }> {
  const app = createSampleApp(readConfigFromEnv(env));
  app.server.listen(0, '127.0.0.1');
  await once(app.server, 'listening');
  running.push(app);
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

afterEach(async () => {
  for (const app of running.splice(0)) {
    app.server.closeAllConnections();
    await new Promise((resolve) => app.server.close(resolve));
  }
});

describe('sample app', () => {
  it('answers GET / with its version, pod name and a hello', async () => {
    const { base } = await start({ VERSION: 'v7', POD_NAME: 'web-abc' });
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'from Ferry sample-app', version: 'v7', pod: 'web-abc' });
  });

  it('reports liveness and readiness, and NEVER_READY makes readiness 503', async () => {
    const ready = await start({});
    expect((await fetch(`${ready.base}/health/liveness`)).status).toBe(200);
    expect((await fetch(`${ready.base}/health/readiness`)).status).toBe(200);
    const never = await start({ NEVER_READY: 'true' });
    expect((await fetch(`${never.base}/health/liveness`)).status).toBe(200);
    expect((await fetch(`${never.base}/health/readiness`)).status).toBe(503);
  });

  it('fails every request at ERROR_RATE=1 and none at 0', async () => {
    const failing = await start({ ERROR_RATE: '1' });
    const healthy = await start({ ERROR_RATE: '0' });
    for (let i = 0; i < 20; i++) {
      expect((await fetch(`${failing.base}/`)).status).toBe(500);
      expect((await fetch(`${healthy.base}/`)).status).toBe(200);
    }
  });

  it('fails roughly ERROR_RATE of requests', { timeout: 60_000 }, async () => {
    const { base } = await start({ ERROR_RATE: '0.3' });
    let failures = 0;
    for (let i = 0; i < 200; i++) if ((await fetch(`${base}/`)).status === 500) failures++;
    // Binomial(200, 0.3): mean 60, sd ≈ 6.5; ±5 sd keeps this from flaking.
    expect(failures).toBeGreaterThan(27);
    expect(failures).toBeLessThan(93);
  });

  it('adds LATENCY_MS to GET /', async () => {
    const { base } = await start({ LATENCY_MS: '150' });
    const started = performance.now();
    await fetch(`${base}/`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('exposes request counts and a duration histogram, without counting probes', async () => {
    const { base } = await start({ ERROR_RATE: '1' });
    await fetch(`${base}/`);
    await fetch(`${base}/`);
    await fetch(`${base}/health/readiness`);
    await fetch(`${base}/nope`);
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('http_requests_total{code="500",method="GET",path="/"} 2');
    expect(text).toContain('http_requests_total{code="404",method="GET",path="other"} 1');
    expect(text).not.toContain('path="/health/readiness"');
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",code="500",method="GET",path="\/"\} \d/);
    expect(text).toContain('http_request_duration_seconds_count{code="500",method="GET",path="/"} 2');
  });

  it('exposes the 5xx series at 0 before any error, so error-rate queries read 0, not no data', async () => {
    const { base } = await start({});
    await fetch(`${base}/`);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('http_requests_total{code="500",method="GET",path="/"} 0');
    expect(text).toContain('http_requests_total{code="200",method="GET",path="/"} 1');
  });

  it('changes behaviour at runtime through POST /admin/config', async () => {
    const { base } = await start({ VERSION: 'v1' });
    const post = (body: unknown) =>
      fetch(`${base}/admin/config`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const res = await post({ errorRate: 1, neverReady: true, version: 'v9' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ errorRate: 1, neverReady: true, version: 'v9' });
    expect((await fetch(`${base}/`)).status).toBe(500);
    expect((await fetch(`${base}/health/readiness`)).status).toBe(503);
    expect((await post({ errorRate: 2 })).status).toBe(400);
    expect((await post({ bogus: true })).status).toBe(400);
    expect((await post(await (await fetch(`${base}/admin/config`)).json())).status).toBe(400); // podName isn't settable
    expect((await post({ errorRate: 0, neverReady: false })).status).toBe(200);
    const body = (await (await fetch(`${base}/`)).json()) as { version: string };
    expect(body.version).toBe('v9');
  });
});
