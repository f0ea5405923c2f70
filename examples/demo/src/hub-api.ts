import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { DeploymentView, EventView, LiveSource } from '@ferry/cli';

/** JSON and server-sent events over HTTPS to a hub, trusting its CA, with a bearer token. */
export class HubApi {
  constructor(
    private readonly baseUrl: string,
    private readonly caPem: string | undefined,
    private readonly token: string,
  ) {}

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.open(method, path, { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body);
    const text = await readAll(response);
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const message = safeMessage(text);
      throw new Error(`${method} ${path}: HTTP ${status}${message ? ` ${message}` : ''}`);
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** A live-view source for one hub: the status payload by GET, events by the SSE stream. */
  liveSource(): LiveSource {
    return {
      status: (id) => this.json<DeploymentView>('GET', deploymentPath(id)),
      follow: (id, afterSeq, onEvent, signal) => this.follow(id, afterSeq, onEvent, signal),
    };
  }

  /** Events after `afterSeq` until `deployment.completed`; a dropped stream is reopened where it stopped. */
  private async follow(id: string, afterSeq: number, onEvent: (event: EventView) => void, signal: AbortSignal): Promise<void> {
    let last = afterSeq;
    for (let attempt = 0; !signal.aborted; attempt++) {
      const ended = await this.stream(`${deploymentPath(id)}/events/stream?afterSeq=${last}`, signal, (event) => {
        if (event.seq <= last) return false;
        last = event.seq;
        onEvent(event);
        return event.type === 'deployment.completed';
      }).catch((error: unknown) => {
        if (attempt >= 5) throw error;
        return false;
      });
      if (ended) return;
      const status = await this.json<DeploymentView>('GET', deploymentPath(id));
      if (status.completedAtIso) {
        const rest = await this.json<{ events: EventView[] }>('GET', `${deploymentPath(id)}/events?afterSeq=${last}`);
        for (const event of rest.events) onEvent(event);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** Reads one SSE response; resolves true once `onEvent` says the end was seen. */
  private async stream(path: string, signal: AbortSignal, onEvent: (event: EventView) => boolean): Promise<boolean> {
    const response = await this.open('GET', path, { accept: 'text/event-stream' }, undefined, signal);
    if ((response.statusCode ?? 0) >= 300) throw new Error(`GET ${path}: HTTP ${response.statusCode} ${safeMessage(await readAll(response))}`);
    let buffer = '';
    let data: string[] = [];
    try {
      for await (const chunk of response) {
        buffer += (chunk as Buffer).toString('utf8');
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          else if (line === '' && data.length > 0) {
            const event = JSON.parse(data.join('\n')) as EventView;
            data = [];
            if (typeof event.seq === 'number' && onEvent(event)) {
              response.destroy();
              return true;
            }
          }
        }
      }
    } catch (error) {
      if (signal.aborted) return true;
      throw error;
    }
    return false;
  }

  private open(method: string, path: string, headers: Record<string, string>, body?: unknown, signal?: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, `${this.baseUrl}/`),
        { method, headers: { ...headers, authorization: `Bearer ${this.token}` }, ...(this.caPem ? { ca: this.caPem } : {}), ...(signal ? { signal } : {}) },
        resolve,
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }
}

/** The OAuth client-credentials grant at the hub's token endpoint. */
export async function clientCredentialsToken(baseUrl: string, caPem: string | undefined, clientId: string, clientSecret: string): Promise<string> {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(
      new URL('oidc/token', `${baseUrl}/`),
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` }, ...(caPem ? { ca: caPem } : {}) },
      resolve,
    );
    req.on('error', reject);
    req.end(new URLSearchParams({ grant_type: 'client_credentials' }).toString());
  });
  const body = JSON.parse((await readAll(response)) || '{}') as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`the client-credentials grant failed (HTTP ${response.statusCode}): ${body.error ?? 'no token'}`);
  return body.access_token;
}

function deploymentPath(id: string): string {
  return `api/v1/deployments/${encodeURIComponent(id)}`;
}

async function readAll(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The error's message only: the hub's answers never echo secrets, but keep it short. */
function safeMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: string; code?: string };
    return [body.code, body.message].filter(Boolean).join(': ');
  } catch {
    return text.slice(0, 200);
  }
}
