import type { IncomingMessage } from 'node:http';
import { FerryUnavailableError } from '@ferry/core';
import type { TokenSource } from '../auth/token-source.js';
import { errorFromAnswer, openStream, send, type HttpTarget } from './http.js';

/** JSON over HTTPS to the hub's REST API with a bearer token. */
export class HubClient {
  constructor(
    readonly target: HttpTarget,
    private readonly token: TokenSource,
  ) {}

  async json<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const answer = await send(this.target, path, {
      method,
      headers: {
        authorization: `Bearer ${await this.token()}`,
        ...(body !== undefined ? { 'content-type': contentType } : {}),
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    if (answer.status < 200 || answer.status >= 300) throw errorFromAnswer(answer, `${method} ${path}`);
    if (answer.status === 204 || answer.text === '') return undefined as T;
    return JSON.parse(answer.text) as T;
  }

  /**
   * Server-sent events of `path`, each `data:` line parsed as JSON, until the server ends the
   * stream. Resolves with the last event id seen so a dropped stream resumes where it was.
   */
  async events(path: string, lastEventId: number, onData: (data: unknown, id: number) => boolean | void, signal: AbortSignal): Promise<{ lastEventId: number; ended: boolean }> {
    let response: IncomingMessage;
    try {
      response = await openStream(this.target, path, {
        headers: { authorization: `Bearer ${await this.token()}`, accept: 'text/event-stream', 'last-event-id': String(lastEventId) },
        signal,
      });
    } catch (error) {
      if (signal.aborted) return { lastEventId, ended: true };
      throw error;
    }
    if ((response.statusCode ?? 0) >= 300) {
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      throw errorFromAnswer({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }, `GET ${path}`);
    }
    let id = lastEventId;
    let buffer = '';
    let data: string[] = [];
    let eventId: number | undefined;
    let stop = false;
    try {
      for await (const chunk of response) {
        buffer += (chunk as Buffer).toString('utf8');
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (data.length > 0) {
              if (eventId !== undefined) id = eventId;
              if (onData(JSON.parse(data.join('\n')), id) === true) stop = true;
            }
            data = [];
            eventId = undefined;
          } else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          else if (line.startsWith('id:')) eventId = Number(line.slice(3).trim());
          // comments (heartbeats) and `event:` names need nothing
        }
        if (stop) break;
      }
    } catch (error) {
      if (signal.aborted) return { lastEventId: id, ended: true };
      throw new FerryUnavailableError(`the event stream from the hub broke: ${(error as Error).message}`, { code: 'stream_broken', cause: error });
    } finally {
      response.destroy();
    }
    return { lastEventId: id, ended: stop };
  }
}
