import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { readBody, startHttpServer, type LocalServer } from './http-server.js';

export interface RecordedRequest {
  method: string;
  /** Path and query string. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ReplayAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless a string. */
  body?: unknown;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface ReplayServer extends LocalServer {
  requests: RecordedRequest[];
  /** Answers to give, in order; when exhausted, `fallback` answers. */
  queue: ReplayAnswer[];
  fallback: ReplayAnswer;
}

/**
 * One replay server for a test file (a local server that replays scripted answers in a SaaS
 * API's documented formats and records every request): started before the file's tests, closed
 * after them, its requests and queue emptied before each test. Its `url` is set once tests run.
 */
export function useReplayServer(): ReplayServer {
  const replay = { requests: [], queue: [], fallback: NO_ANSWER } as unknown as ReplayServer;
  beforeAll(async () => {
    await serveScript(replay);
  });
  afterAll(async () => replay.close());
  beforeEach(() => {
    replay.requests.length = 0;
    replay.queue.length = 0;
  });
  return replay;
}

/** Everything an error exposes (message, details, stack, cause), to check that no secret leaks. */
export function exposed(error: unknown): string {
  const e = error as Error & { details?: unknown };
  return JSON.stringify({ message: e.message, details: e.details, stack: e.stack, cause: String(e.cause) });
}

const NO_ANSWER: ReplayAnswer = { status: 500, body: { errors: ['no answer scripted'] } };

async function serveScript(script: Pick<ReplayServer, 'requests' | 'queue' | 'fallback'>): Promise<ReplayServer> {
  const server = await startHttpServer((req, res) => {
    void readBody(req).then((body) => {
      script.requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
      const answer = script.queue.shift() ?? script.fallback;
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
      const type = typeof answer.body === 'string' ? 'text/plain' : 'application/json';
      const reply = () => {
        if (!res.destroyed) res.writeHead(answer.status, { 'Content-Type': type, ...answer.headers }).end(text);
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  return Object.assign(script, server);
}
