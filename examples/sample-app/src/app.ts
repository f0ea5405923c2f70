import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { applyConfigPatch, type AppConfig } from './config.js';
import { createMetrics, type AppMetrics } from './metrics.js';

export interface SampleApp {
  server: Server;
  metrics: AppMetrics;
  config(): AppConfig;
}

// Probe and scrape endpoints are not counted, so error ratios reflect only application traffic.
const UNCOUNTED = new Set(['/metrics', '/health/liveness', '/health/readiness']);
const MAX_BODY_BYTES = 16 * 1024;

/** Builds the sample app's HTTP server (not yet listening). */
export function createSampleApp(initial: AppConfig, options: { defaultMetrics?: boolean } = {}): SampleApp {
  let config = initial;
  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics ?? false });

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const path = routeOf(req.url);
    res.on('finish', () => {
      if (UNCOUNTED.has(path)) return;
      const labels = { code: String(res.statusCode), method: req.method ?? 'GET', path };
      metrics.requests.inc(labels);
      metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    handle(req, res, path).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(err) });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (path === '/' && method === 'GET') {
      const current = config;
      if (current.latencyMs > 0) await sleep(current.latencyMs);
      if (Math.random() < current.errorRate) {
        sendJson(res, 500, { error: 'injected failure', version: current.version, pod: current.podName });
        return;
      }
      sendJson(res, 200, { hello: 'from Ferry sample-app', version: current.version, pod: current.podName });
      return;
    }
    if (path === '/health/liveness' && method === 'GET') {
      sendJson(res, 200, { status: 'alive' });
      return;
    }
    if (path === '/health/readiness' && method === 'GET') {
      if (config.neverReady) sendJson(res, 503, { status: 'not ready' });
      else sendJson(res, 200, { status: 'ready' });
      return;
    }
    if (path === '/metrics' && method === 'GET') {
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(body);
      return;
    }
    if (path === '/admin/config' && method === 'GET') {
      sendJson(res, 200, config);
      return;
    }
    if (path === '/admin/config' && method === 'POST') {
      const body = await readJson(req);
      const next = body.ok ? applyConfigPatch(config, body.value) : { error: body.error };
      if ('error' in next) {
        sendJson(res, 400, { error: next.error });
        return;
      }
      config = next;
      sendJson(res, 200, config);
      return;
    }
    sendJson(res, 404, { error: `no route for ${method} ${path}` });
  }

  return { server, metrics, config: () => config };
}

/** Known routes keep their path; anything else is labelled "other" to bound metric cardinality. */
function routeOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return ['/', '/metrics', '/health/liveness', '/health/readiness', '/admin/config'].includes(path) ? path : 'other';
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false, error: 'body too large' };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, error: 'body is not valid JSON' };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
