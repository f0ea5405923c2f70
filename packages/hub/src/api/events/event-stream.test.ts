import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeploymentRecordV1, FerryEngine } from '@ferry/core';
import { MemoryStore } from '@ferry/core/testing';
import { EventEmitter } from 'eventemitter3';
import { afterEach, describe, expect, it } from 'vitest';
import { EventFanout } from './event-fanout.js';
import { EventStreams } from './event-stream.js';

/** EventStreams over a real HTTP server on loopback and a real in-memory store. */
let server: Server | undefined;
let fanout: EventFanout | undefined;
afterEach(async () => {
  fanout?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = fanout = undefined;
});

async function setUp(heartbeatIntervalMs: number) {
  const store = new MemoryStore();
  const now = Date.now();
  const record: DeploymentRecordV1 = {
    id: 'd1',
    application: 'shop',
    createdAt: now,
    spec: { file: {} as DeploymentRecordV1['spec']['file'], context: {}, plan: { application: 'shop', targets: [] } },
    state: { status: 'RUNNING', version: 0, updatedAt: now, targets: {} },
  };
  await store.create(record, { ifInProgress: 'reject', now });
  const events = new EventEmitter() as unknown as FerryEngine['events'];
  const engine = { events, listEvents: store.listEvents.bind(store) };
  fanout = new EventFanout(engine, { pollIntervalMs: 20 });
  const streams = new EventStreams(engine, fanout, { heartbeatIntervalMs });
  server = createServer((req, res) => {
    const afterSeq = Number(req.headers['last-event-id'] ?? 0);
    void streams.stream(res, 'd1', afterSeq);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const append = (type: string) => store.appendEvent({ deploymentId: 'd1', type, at: Date.now(), data: {} });
  return { streams, append, port, emit: (e: Parameters<typeof events.emit>[1]) => events.emit('*', e) };
}

/** Reads the whole response (the stream ends by itself) or until `stopAfter` text appears. */
function read(port: number, headers: Record<string, string> = {}, stopAfter?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (stopAfter && text.includes(stopAfter)) {
          req.destroy();
          resolve(text);
        }
      });
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('EventStreams', () => {
  it('replays, streams live events, sends heartbeats and ends after deployment.completed', async () => {
    const t = await setUp(30);
    await t.append('deployment.started');
    const reading = read(t.port);
    await new Promise((r) => setTimeout(r, 100)); // heartbeats while nothing happens
    t.emit(await t.append('step.started'));
    await t.append('deployment.completed'); // another replica's: found by the poller
    const text = await reading;
    expect(text.startsWith('retry: 3000\n\n')).toBe(true);
    expect(text).toContain(': heartbeat\n\n');
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([1, 2, 3]);
    expect(text.trimEnd().endsWith('"data":{}}')).toBe(true);
    expect(t.streams.openStreams).toBe(0);
  });

  it('resumes after Last-Event-ID', async () => {
    const t = await setUp(10_000);
    await t.append('deployment.started');
    await t.append('step.started');
    await t.append('deployment.completed');
    const text = await read(t.port, { 'last-event-id': '1' });
    expect([...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual([2, 3]);
  });

  it('ends open streams on closeAll', async () => {
    const t = await setUp(10_000);
    await t.append('deployment.started');
    const reading = read(t.port, {}, 'id: 1');
    await reading;
    const second = read(t.port);
    await new Promise((r) => setTimeout(r, 50));
    expect(t.streams.openStreams).toBe(1);
    t.streams.closeAll();
    expect(await second).toContain('id: 1');
    expect(t.streams.openStreams).toBe(0);
  });
});
