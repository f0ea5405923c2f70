/**
 * The REST API under load, on a real hub (HTTPS, SQLite, in this process):
 *
 *   npm run bench:api                     (10 s of load per target, 1,000 SSE watchers, 30 rounds)
 *   npm run bench:api -- 5 500 20         (seconds, watchers, rounds)
 *
 * 1. Status reads: 64 concurrent clients (keep-alive connections) for N seconds against
 *    GET /api/v1/deployments/:id (token verified, grant checked, record read and shaped),
 *    and the same load against /health/liveness as the baseline; p50/p99 and the ratio.
 * 2. SSE fan-out: 1,000 watchers of one deployment's event stream. Each round writes one
 *    event and times until every watcher has received it: written by this replica (the
 *    engine's emitter), and written by another replica (only in the database: the shared
 *    poller, 1 s interval, finds it). Memory: the process's heap and RSS per watcher (the
 *    clients live in this process too, so this is an upper bound for the server side).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EngineEventV1 } from '@ferry/core';
import { createSqliteStore } from '@ferry/store-sql';
import { Agent, Pool, request } from 'undici';
import { startTestHub, type TestHub } from '../src/test-support/index.js';
import { MANIFESTS, waitingDeployFile } from '../src/api/e2e-support.js';

const SECONDS = Math.max(1, Number(process.argv[2] ?? 10) || 10);
const WATCHERS = Math.max(1, Number(process.argv[3] ?? 1000) || 1000);
const ROUNDS = Math.max(1, Number(process.argv[4] ?? 30) || 30);
const CONCURRENCY = 64;
const say = (text: string) => process.stdout.write(`${text}\n`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

interface LoadResult {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  perSecond: number;
}

/** CONCURRENCY loops, each on its own keep-alive connection, for SECONDS. */
async function load(hub: TestHub, path: string, token: string | undefined): Promise<LoadResult> {
  const pool = new Pool(hub.url, { connections: CONCURRENCY, pipelining: 1, connect: { ca: hub.hub.caCertPem } });
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const latencies: number[] = [];
  let errors = 0;
  // Warm up: open the connections and let the JIT settle.
  await Promise.all(Array.from({ length: CONCURRENCY * 4 }, async () => (await pool.request({ path, method: 'GET', headers })).body.dump()));
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const response = await pool.request({ path, method: 'GET', headers });
        await response.body.dump();
        latencies.push(performance.now() - t0);
        if (response.statusCode !== 200) errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond: latencies.length / elapsed };
}

interface Watcher {
  received: Map<number, number>;
  close(): void;
}

/** One SSE client: records when each event seq arrived. */
async function watch(hub: TestHub, dispatcher: Agent, deploymentId: string, token: string): Promise<Watcher> {
  const received = new Map<number, number>();
  const abort = new AbortController();
  const response = await request(`${hub.url}/api/v1/deployments/${deploymentId}/events/stream`, { dispatcher, headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  if (response.statusCode !== 200) throw new Error(`SSE answered ${response.statusCode}`);
  void (async () => {
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        const now = performance.now();
        buffer += chunk.toString('utf8');
        let split: number;
        while ((split = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          const id = /^id: (\d+)$/m.exec(block);
          if (id) received.set(Number(id[1]), now);
        }
      }
    } catch {
      // closed
    }
  })();
  return { received, close: () => abort.abort() };
}

async function fanout(hub: TestHub, token: string): Promise<{ sameReplica: number[]; otherReplica: number[]; perDelivery: number[]; heapPerWatcher: number; rssPerWatcher: number; connectMs: number }> {
  const start = await hub.fetch('/api/v1/deployments', { method: 'POST', token, json: { deployFile: waitingDeployFile('bench-fanout', { approvalRoles: [] }), manifests: MANIFESTS } });
  const { id } = (await start.json()) as { id: string };
  // Another replica's view of the same database: it writes events the hub only sees by polling.
  const otherReplica = await createSqliteStore({ path: join(hub.dataDir, 'hub.db') });
  let lastSeq = 0;
  while (lastSeq < 3) {
    lastSeq = (await otherReplica.listEvents(id, { limit: 1000 })).at(-1)?.seq ?? 0;
    await sleep(50);
  }

  global.gc?.();
  await sleep(200);
  const before = process.memoryUsage();
  // Generous timeouts: 1,000 TLS handshakes on a shared machine can queue for a while.
  const dispatcher = new Agent({ connections: null, pipelining: 0, bodyTimeout: 0, headersTimeout: 120_000, connect: { ca: hub.hub.caCertPem, timeout: 120_000 } });
  const connectStarted = performance.now();
  const watchers: Watcher[] = [];
  for (let i = 0; i < WATCHERS; i += 25) {
    watchers.push(...(await Promise.all(Array.from({ length: Math.min(25, WATCHERS - i) }, () => watch(hub, dispatcher, id, token)))));
  }
  while (!watchers.every((w) => w.received.has(lastSeq))) await sleep(20);
  const connectMs = performance.now() - connectStarted;
  global.gc?.();
  await sleep(200);
  const after = process.memoryUsage();

  const sameReplica: number[] = [];
  const other: number[] = [];
  const perDelivery: number[] = [];
  for (let round = 0; round < ROUNDS * 2; round++) {
    const viaEmitter = round % 2 === 0;
    const t0 = performance.now();
    const event: EngineEventV1 = await otherReplica.appendEvent({ deploymentId: id, type: 'bench.tick', at: Date.now(), data: { round } });
    if (viaEmitter) hub.hub.engine.events.emit('*', event);
    const deadline = t0 + 10_000;
    while (!watchers.every((w) => w.received.has(event.seq))) {
      if (performance.now() > deadline) throw new Error(`round ${round}: not every watcher got event ${event.seq} within 10 s`);
      await sleep(viaEmitter ? 1 : 5);
    }
    const arrivals = watchers.map((w) => (w.received.get(event.seq) as number) - t0);
    (viaEmitter ? sameReplica : other).push(Math.max(...arrivals));
    if (viaEmitter) perDelivery.push(...arrivals);
  }
  watchers.forEach((w) => w.close());
  await dispatcher.close();
  await otherReplica.destroy();
  await hub.fetch(`/api/v1/deployments/${id}/cancel`, { method: 'POST', token, json: {} });
  return {
    sameReplica: sameReplica.sort((a, b) => a - b),
    otherReplica: other.sort((a, b) => a - b),
    perDelivery: perDelivery.sort((a, b) => a - b),
    heapPerWatcher: (after.heapUsed - before.heapUsed) / WATCHERS,
    rssPerWatcher: (after.rss - before.rss) / WATCHERS,
    connectMs,
  };
}

async function main(): Promise<void> {
  const hub = await startTestHub({ database: 'sqlite' });
  try {
    const token = await hub.adminToken();
    const started = await hub.fetch('/api/v1/deployments', { method: 'POST', token, json: { deployFile: waitingDeployFile('bench-status', { approvalRoles: [] }), manifests: MANIFESTS } });
    const { id } = (await started.json()) as { id: string };
    say(`hub ${hub.url} (SQLite, TLS), node ${process.version}; ${CONCURRENCY} clients × ${SECONDS} s per target; ${WATCHERS} SSE watchers × ${ROUNDS} rounds per path`);
    const liveness = await load(hub, '/health/liveness', undefined);
    const status = await load(hub, `/api/v1/deployments/${id}`, token);
    const fan = await fanout(hub, token);

    say('');
    say('| measurement | p50 | p99 | throughput | notes |');
    say('|---|---|---|---|---|');
    say(`| GET /health/liveness (baseline) | ${ms(liveness.p50)} ms | ${ms(liveness.p99)} ms | ${liveness.perSecond.toFixed(0)} req/s | ${liveness.requests} requests, ${liveness.errors} errors |`);
    say(`| GET /api/v1/deployments/:id | ${ms(status.p50)} ms | ${ms(status.p99)} ms | ${status.perSecond.toFixed(0)} req/s | ${status.requests} requests, ${status.errors} errors |`);
    say(`| status ÷ liveness | ${(status.p50 / liveness.p50).toFixed(2)}× | ${(status.p99 / liveness.p99).toFixed(2)}× | ${(status.perSecond / liveness.perSecond).toFixed(2)}× | |`);
    say(`| SSE: event → all ${WATCHERS} watchers (same replica) | ${ms(percentile(fan.sameReplica, 50))} ms | ${ms(percentile(fan.sameReplica, 99))} ms | | ${ROUNDS} rounds; per delivery p50 ${ms(percentile(fan.perDelivery, 50))} ms, p99 ${ms(percentile(fan.perDelivery, 99))} ms |`);
    say(`| SSE: event → all ${WATCHERS} watchers (other replica, 1 s poll) | ${ms(percentile(fan.otherReplica, 50))} ms | ${ms(percentile(fan.otherReplica, 99))} ms | | ${ROUNDS} rounds; one store query per tick for all watchers |`);
    say(`| SSE: memory per watcher | | | | heap ${(fan.heapPerWatcher / 1024).toFixed(1)} KiB, RSS ${(fan.rssPerWatcher / 1024).toFixed(1)} KiB (client and server in one process); ${WATCHERS} connected and replayed in ${(fan.connectMs / 1000).toFixed(1)} s |`);
    say('');
    say(`process RSS at the end: ${mib(process.memoryUsage().rss)} MiB`);
  } finally {
    await hub.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
