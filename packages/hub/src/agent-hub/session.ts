import { FerryForbiddenError, FerryInputError, FerryUnavailableError, type FerryError } from '@ferry/core';
import {
  createReceiveWindow,
  DEFAULT_WINDOW,
  SendWindow,
  sendWithCredit,
  type AgentMessage__Output,
  type HubMessage,
  type ReceiveWindow,
} from '@ferry/proto';
import type { RelayRequest, RelayResponse } from './relay-types.js';

/** What the session needs from the gRPC call: write frames, end the stream. */
export interface SessionStream {
  write(message: HubMessage): void;
  end(): void;
}

export interface SessionInfo {
  tenant: string;
  identifier: string;
  instanceId: string;
  version: string;
  address: string;
  clusterAccount: boolean;
  clusterRole: boolean;
  requestWindow: number;
  info: Record<string, string>;
  connectedAt: number;
}

interface Pending {
  resolveHead(response: RelayResponse): void;
  rejectHead(error: Error): void;
  headReceived: boolean;
  body: ReceiveWindow | undefined;
  /** Credit for the request body; only requests with a body have one. */
  requestWindow: SendWindow | undefined;
  done(): void;
}

const MAX_REQUEST_ID = 0xffff_ffff;

/**
 * One connected agent stream on this replica: allocates request ids, sends request frames,
 * routes response frames back to their callers and keeps each request's two windows.
 */
export class AgentSession {
  readonly info: SessionInfo;
  lastSeenAt: number;
  draining = false;
  closed = false;
  readonly #stream: SessionStream;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(stream: SessionStream, info: SessionInfo, now: number) {
    this.#stream = stream;
    this.info = info;
    this.lastSeenAt = now;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** Sends a request to the agent; resolves with the response head and a streaming body. */
  open(request: RelayRequest, signal?: AbortSignal): Promise<RelayResponse> {
    if (this.closed) return Promise.reject(unavailable(this, 'its stream has closed'));
    signal?.throwIfAborted();
    const id = this.#allocateId();
    return new Promise<RelayResponse>((resolve, reject) => {
      const onAbort = () => {
        const reason = signal?.reason instanceof Error ? signal.reason : new Error('aborted');
        this.#cancel(id, 'caller aborted', reason);
      };
      const pending: Pending = {
        resolveHead: resolve,
        rejectHead: reject,
        headReceived: false,
        body: undefined,
        requestWindow: request.body === undefined ? undefined : new SendWindow(this.info.requestWindow || DEFAULT_WINDOW),
        done: () => signal?.removeEventListener('abort', onAbort),
      };
      this.#pending.set(id, pending);
      signal?.addEventListener('abort', onAbort, { once: true });
      const hasBody = request.body !== undefined;
      const headers = request.headers.map(([name, value]) => ({ name, value }));
      this.#stream.write({
        requestHead: { requestId: id, method: request.method, headers, responseWindow: DEFAULT_WINDOW, hasBody, ...request.destination },
      });
      if (request.body !== undefined) {
        const source = Buffer.isBuffer(request.body) ? [request.body] : request.body;
        sendWithCredit(source, pending.requestWindow!, (data) => this.#stream.write({ requestBody: { requestId: id, data } }))
          .then(() => {
            if (this.#pending.has(id)) this.#stream.write({ requestEnd: { requestId: id } });
          })
          .catch((error: unknown) => this.#cancel(id, 'request body failed', error instanceof Error ? error : new Error(String(error))));
      }
    });
  }

  /** Routes one frame from the agent. */
  handle(message: AgentMessage__Output, now: number): void {
    this.lastSeenAt = now;
    switch (message.kind) {
      case 'responseHead': {
        const head = message.responseHead!;
        const pending = this.#pending.get(head.requestId);
        if (!pending || pending.headReceived) return;
        pending.headReceived = true;
        const id = head.requestId;
        pending.body = createReceiveWindow({
          window: DEFAULT_WINDOW,
          grant: (bytes) => this.#write({ windowUpdate: { requestId: id, bytes } }),
          onAbandon: () => this.#cancel(id, 'caller stopped reading', undefined),
        });
        pending.resolveHead({ status: head.status, headers: head.headers.map((h) => [h.name, h.value]), body: pending.body.readable });
        return;
      }
      case 'responseBody': {
        const chunk = message.responseBody!;
        this.#pending.get(chunk.requestId)?.body?.push(chunk.data);
        return;
      }
      case 'responseEnd': {
        const id = message.responseEnd!.requestId;
        const pending = this.#pending.get(id);
        if (!pending) return;
        this.#finish(id, pending);
        pending.body?.end();
        return;
      }
      case 'responseError': {
        const failure = message.responseError!;
        const pending = this.#pending.get(failure.requestId);
        if (!pending) return;
        this.#finish(failure.requestId, pending);
        const error = relayError(this, failure.code, failure.message);
        if (pending.headReceived) pending.body?.fail(error);
        else pending.rejectHead(error);
        return;
      }
      case 'windowUpdate': {
        const update = message.windowUpdate!;
        this.#pending.get(update.requestId)?.requestWindow?.grant(update.bytes);
        return;
      }
      case 'draining':
        this.draining = true;
        return;
      default:
        return;
    }
  }

  /** The hub's side of the heartbeat; the agent measures round trips with it. */
  heartbeat(at: number): void {
    this.#write({ heartbeat: { sentAtMs: at, inFlight: this.#pending.size } });
  }

  /** Ends the stream: every request still open fails fast so that its (idempotent) step can retry. */
  close(reason: string, goodbye?: { code: string; message: string }): void {
    if (this.closed) return;
    this.closed = true;
    if (goodbye) this.#write({ goodbye });
    const error = unavailable(this, reason);
    for (const [id, pending] of this.#pending) {
      this.#finish(id, pending);
      if (pending.headReceived) pending.body?.fail(error);
      else pending.rejectHead(error);
    }
    try {
      this.#stream.end();
    } catch {
      // the stream is already gone
    }
  }

  #cancel(id: number, reason: string, error: Error | undefined): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#finish(id, pending);
    this.#write({ cancel: { requestId: id, reason } });
    const failure = error ?? new FerryUnavailableError(`relay request cancelled: ${reason}`, { code: 'relay_cancelled' });
    if (pending.headReceived) pending.body?.fail(failure);
    else pending.rejectHead(failure);
  }

  #finish(id: number, pending: Pending): void {
    this.#pending.delete(id);
    pending.requestWindow?.close('request finished');
    pending.done();
  }

  #write(message: HubMessage): void {
    if (this.closed && !message.goodbye) return;
    try {
      this.#stream.write(message);
    } catch {
      // a write after the call ended: the close path fails the requests
    }
  }

  #allocateId(): number {
    for (;;) {
      const id = this.#nextId;
      this.#nextId = id >= MAX_REQUEST_ID ? 1 : id + 1;
      if (!this.#pending.has(id)) return id;
    }
  }
}

function unavailable(session: AgentSession, reason: string): FerryError {
  return new FerryUnavailableError(`Remote Network Agent "${session.info.identifier}": ${reason}`, {
    code: 'agent_unavailable',
    details: { agent: session.info.identifier },
  });
}

/** Maps the agent's error codes to the hub's error classes. */
function relayError(session: AgentSession, code: string, message: string): FerryError {
  const text = `Remote Network Agent "${session.info.identifier}": ${message}`;
  const options = { code, details: { agent: session.info.identifier } };
  if (code === 'destination_not_allowed') return new FerryForbiddenError(text, options);
  if (code === 'bad_request') return new FerryInputError(text, options);
  return new FerryUnavailableError(text, options);
}
