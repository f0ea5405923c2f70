import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { FerryNotFoundError } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hubFetch } from '../test-support/start-test-hub.js';
import { createHubServer, type HubServer } from './create-server.js';
import { createHubLogger } from './logger.js';
import { createHubMetrics } from './metrics.js';
import { ensureLocalCa } from './tls.js';

const SECRET_TOKEN = 'tok-3f9d1c2b-very-secret';
const SECRET_COOKIE = 'session=cookie-7a7a7a-secret';
const CALLBACK_TOKEN = 'cb-token-5e5e5e-secret';

let dir: string;
let server: HubServer;
let client: ReturnType<typeof hubFetch>;
let logs = '';
let databaseUp = true;
/** Called by the slow route when a request reaches it (the drain test waits for that). */
let slowArrived: () => void = () => undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-hub-server-'));
  const tls = await ensureLocalCa(dir, '127.0.0.1');
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs += chunk.toString();
      done();
    },
  });
  const logger = createHubLogger({ level: 'info', destination: sink });
  const metrics = createHubMetrics({ store: () => undefined });
  server = createHubServer({
    tls,
    logger,
    metrics,
    readiness: [
      {
        name: 'database',
        check: async () => {
          if (!databaseUp) throw new Error('connection refused');
        },
      },
    ],
  });
  server.app.get('/test/zod', async () => z.object({ name: z.string() }).parse({ name: 3 }));
  server.app.get('/test/not-found', async () => {
    throw new FerryNotFoundError('no deployment d-1', { code: 'deployment_not_found' });
  });
  server.app.get('/test/crash', async () => {
    throw new Error(`database password hunter2 leaked`);
  });
  server.app.post('/v1/callbacks/:deploymentId/:stepId/:token/callback', async () => ({ ok: true }));
  server.app.get('/test/slow', async () => {
    slowArrived();
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { done: true };
  });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.app.server.address() as { port: number }).port;
  client = hubFetch(`https://127.0.0.1:${port}`, tls.caCertPem);
});

afterAll(async () => {
  await server?.close(1000);
  await client?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the hub server', () => {
  it('serves HTTPS with liveness and readiness', async () => {
    const live = await client.fetch('/health/liveness');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'UP' });
    const ready = await client.fetch('/health/readiness');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'UP', checks: { database: { status: 'UP' } } });
  });

  it('answers 503 on readiness while a check fails, naming the reason', async () => {
    databaseUp = false;
    try {
      const ready = await client.fetch('/health/readiness');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'DOWN', checks: { database: { status: 'DOWN', reason: 'connection refused' } } });
    } finally {
      databaseUp = true;
    }
  });

  it('echoes a caller x-request-id and makes one otherwise', async () => {
    const given = await client.fetch('/health/liveness', { headers: { 'x-request-id': 'req-abc.123' } });
    expect(given.headers.get('x-request-id')).toBe('req-abc.123');
    const made = await client.fetch('/health/liveness');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await client.fetch('/health/liveness', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('maps zod errors to 400 naming the path', async () => {
    const response = await client.fetch('/test/zod');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error_id: string; errors: Array<{ message: string; code: string; metadata: { path: string[] } }> };
    expect(body.error_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.message).toMatch(/^name: /);
    expect(body.errors[0]?.code).toBe('invalid_input');
    expect(body.errors[0]?.metadata.path).toEqual(['name']);
  });

  it('maps Ferry errors with httpStatusOf and hides unexpected ones', async () => {
    const missing = await client.fetch('/test/not-found');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errors: unknown[] }).errors).toEqual([{ message: 'no deployment d-1', code: 'deployment_not_found', metadata: {} }]);
    const crash = await client.fetch('/test/crash');
    expect(crash.status).toBe(500);
    const text = await crash.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text).errors).toEqual([{ message: 'internal error', code: 'internal', metadata: {} }]);
    const unknown = await client.fetch('/no/such/route');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe('route_not_found');
  });

  it('exposes Prometheus series on /metrics, request durations by route pattern', async () => {
    await client.fetch('/test/not-found');
    const response = await client.fetch('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/ferry_api_request_duration_seconds_count\{method="GET",route="\/test\/not-found",status="404"\} [1-9]/);
    for (const name of ['ferry_deployments', 'ferry_step_duration_seconds', 'ferry_relay_requests_total', 'ferry_relay_bytes_total', 'ferry_hub_process_cpu_seconds_total']) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });

  it('logs requests with their id but never credentials, cookies or callback tokens', async () => {
    logs = '';
    await client.fetch('/test/not-found', { headers: { authorization: `Bearer ${SECRET_TOKEN}`, cookie: SECRET_COOKIE, 'x-request-id': 'req-logged-1' } });
    await client.fetch(`/v1/callbacks/d-1/prod-1/${CALLBACK_TOKEN}/callback`, { method: 'POST', json: { success: true }, headers: { authorization: `Bearer ${SECRET_TOKEN}` } });
    await client.fetch('/test/crash', { headers: { authorization: `Bearer ${SECRET_TOKEN}` } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = logs.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((line) => line.reqId === 'req-logged-1')).toBe(true);
    expect(lines.some((line) => (line.req as { url?: string } | undefined)?.url === '/v1/callbacks/d-1/prod-1/[redacted]/callback')).toBe(true);
    expect(logs).not.toContain(SECRET_TOKEN);
    expect(logs).not.toContain('cookie-7a7a7a');
    expect(logs).not.toContain(CALLBACK_TOKEN);
  });

  it('drains: readiness answers 503 and in-flight requests finish before the close', async () => {
    const arrived = new Promise<void>((resolve) => (slowArrived = resolve));
    const slow = client.fetch('/test/slow');
    await arrived;
    server.startDraining();
    const ready = await client.fetch('/health/readiness');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'DRAINING', checks: {} });
    const closed = server.close(5000);
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ done: true });
    await closed;
  });
});
