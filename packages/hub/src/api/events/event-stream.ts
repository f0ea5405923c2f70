import type { EngineEventV1, FerryEngine } from '@ferry/core';
import type { ServerResponse } from 'node:http';
import type { EventFanout, EventWatcher } from './event-fanout.js';
import { eventPayload } from '../deployments/deployment-payload.js';

export interface EventStreamOptions {
  /** A comment line keeps proxies and clients from timing the stream out. Default 15 s. */
  heartbeatIntervalMs?: number;
  /** A client that stops reading is dropped once this much is queued for it. Default 8 MiB. */
  maxQueuedBytes?: number;
}

const REPLAY_PAGE = 500;

/**
 * Server-sent events for one deployment: replays the log after `afterSeq` (the client's
 * Last-Event-ID on a reconnect), then streams live events from the shared fan-out, and
 * ends after `deployment.completed`. Each event's SSE id is its `seq`.
 */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();
  private readonly heartbeatIntervalMs: number;
  private readonly maxQueuedBytes: number;

  constructor(
    private readonly engine: Pick<FerryEngine, 'listEvents'>,
    private readonly fanout: EventFanout,
    options: EventStreamOptions = {},
  ) {
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 15_000;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 8 * 1024 * 1024;
  }

  get openStreams(): number {
    return this.open.size;
  }

  /** Streams into a response the caller has taken over from the framework (`reply.hijack()`). */
  async stream(res: ServerResponse, deploymentId: string, afterSeq: number): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    this.open.add(res);

    let lastSent = afterSeq;
    let buffering = true;
    let buffered: EngineEventV1[] = [];
    let ended = false;
    const send = (event: EngineEventV1): void => {
      if (ended || event.seq <= lastSent) return;
      lastSent = event.seq;
      res.write(`id: ${event.seq}\ndata: ${JSON.stringify(eventPayload(event))}\n\n`);
      if (event.type === 'deployment.completed') finish();
      else if (res.writableLength > this.maxQueuedBytes) finish(); // a client that stopped reading
    };
    const watcher: EventWatcher = {
      deliver: (event) => {
        if (buffering) buffered.push(event);
        else send(event);
      },
    };
    // Join before replaying so nothing written in between is missed; repeats are filtered by seq.
    const leave = this.fanout.join(deploymentId, watcher, afterSeq);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.heartbeatIntervalMs);
    heartbeat.unref();
    const finish = (): void => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      leave();
      this.open.delete(res);
      res.end();
    };
    res.on('close', finish);

    try {
      for (;;) {
        const page = await this.engine.listEvents(deploymentId, { afterSeq: lastSent, limit: REPLAY_PAGE });
        for (const event of page) send(event);
        if (page.length < REPLAY_PAGE || ended) break;
      }
    } catch {
      finish();
      return;
    }
    buffering = false;
    const pending = buffered;
    buffered = [];
    for (const event of pending) send(event);
  }

  /** Ends every open stream (the hub is shutting down; clients reconnect with Last-Event-ID). */
  closeAll(): void {
    for (const res of [...this.open]) res.end();
    this.open.clear();
  }
}
