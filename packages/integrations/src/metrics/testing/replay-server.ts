import type { IncomingHttpHeaders } from 'node:http';
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
 * A local server that replays scripted answers (documented response formats of a SaaS API)
 * and records every request it gets.
 */
export async function startReplayServer(): Promise<ReplayServer> {
  const script: Pick<ReplayServer, 'requests' | 'queue' | 'fallback'> = {
    requests: [],
    queue: [],
    fallback: { status: 500, body: { errors: ['no answer scripted'] } },
  };
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
