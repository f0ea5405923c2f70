import { FerryError, FerryForbiddenError, FerryInputError, FerryUnavailableError } from '@ferry/core';
import { createReceiveWindow, DEFAULT_WINDOW, pumpWithCredit, SendWindow } from '@ferry/proto';
import { connect, createInbox, type Msg, type NatsConnection, type Subscription } from 'nats';
import type { LocalRegistry } from './local-registry.js';
import type { AgentHubLogger } from './options.js';
import type { RelayDestination, RelayRequest, RelayResponse } from './relay-types.js';

/*
 * Cross-replica relay over NATS. A replica holding at least one stream of an agent
 * subscribes to that agent's subject in a queue group, so NATS itself spreads requests over
 * the replicas that can serve them and answers "no responders" when none can. A request is
 * one NATS request (head + body, answered with a control subject); the response flows back
 * as frames on the caller's inbox, and the caller's credit flows to the control subject, so
 * the per-request window holds end to end across replicas.
 */

const FRAME_HEAD = 1;
const FRAME_DATA = 2;
const FRAME_END = 3;
const FRAME_ERROR = 4;
const FRAME_CREDIT = 5;
const FRAME_CANCEL = 6;
const FRAME_KEEPALIVE = 7;
const KEEPALIVE_MS = 3_000;
const SILENCE_LIMIT_MS = 12_000;

interface WireRequest {
  inbox: string;
  method: string;
  destination: RelayDestination;
  headers: Array<[string, string]>;
  body?: string;
}

type WireReply = { ok: true; control: string } | { ok: false; code: string; message: string };

export interface AgentEvent {
  type: 'connected' | 'disconnected';
  tenant: string;
  identifier: string;
  clusterAccount: boolean;
  replica: string;
}

export class NatsRelay {
  readonly #nc: NatsConnection;
  readonly #prefix: string;
  readonly #registry: LocalRegistry;
  readonly #logger: AgentHubLogger;
  readonly #subscriptions = new Map<string, Subscription>();

  private constructor(nc: NatsConnection, prefix: string, registry: LocalRegistry, logger: AgentHubLogger) {
    this.#nc = nc;
    this.#prefix = prefix;
    this.#registry = registry;
    this.#logger = logger;
  }

  static async connect(options: { servers: string | string[]; prefix: string; registry: LocalRegistry; logger: AgentHubLogger; name: string }): Promise<NatsRelay> {
    const nc = await connect({ servers: options.servers, name: `ferry-hub-${options.name}`, maxReconnectAttempts: -1 });
    return new NatsRelay(nc, options.prefix, options.registry, options.logger);
  }

  /** Starts serving an agent's requests from other replicas (this replica now holds a stream of it). */
  serve(tenant: string, identifier: string): void {
    const subject = this.#agentSubject(tenant, identifier);
    if (this.#subscriptions.has(subject)) return;
    const subscription = this.#nc.subscribe(subject, {
      queue: 'agenthub',
      callback: (error, msg) => {
        if (!error) void this.#respond(tenant, identifier, msg);
      },
    });
    this.#subscriptions.set(subject, subscription);
  }

  stopServing(tenant: string, identifier: string): void {
    const subject = this.#agentSubject(tenant, identifier);
    this.#subscriptions.get(subject)?.unsubscribe();
    this.#subscriptions.delete(subject);
  }

  publishEvent(event: AgentEvent): void {
    this.#nc.publish(`${this.#prefix}.events`, JSON.stringify(event));
  }

  onEvent(listener: (event: AgentEvent) => void): void {
    this.#nc.subscribe(`${this.#prefix}.events`, {
      callback: (error, msg) => {
        if (error) return;
        try {
          listener(JSON.parse(msg.string()) as AgentEvent);
        } catch {
          // an event from an incompatible hub version: ignore it
        }
      },
    });
  }

  /** Sends a request to whichever replica holds a stream of the agent. */
  async open(tenant: string, identifier: string, request: RelayRequest, signal?: AbortSignal): Promise<RelayResponse> {
    signal?.throwIfAborted();
    const body = request.body === undefined ? undefined : await collect(request.body);
    const inbox = createInbox();
    let control: string | undefined;
    let lastFrameAt = Date.now();
    let settled = false;
    let resolveHead!: (response: RelayResponse) => void;
    let rejectHead!: (error: Error) => void;
    const head = new Promise<RelayResponse>((resolve, reject) => {
      resolveHead = resolve;
      rejectHead = reject;
    });
    const window = createReceiveWindow({
      window: DEFAULT_WINDOW,
      grant: (bytes) => {
        if (control) this.#nc.publish(control, creditFrame(bytes));
      },
      onAbandon: () => cancel(),
    });
    const fail = (error: Error) => {
      cleanup();
      if (settled) window.fail(error);
      else rejectHead(error);
    };
    const cancel = () => {
      if (control) this.#nc.publish(control, Uint8Array.of(FRAME_CANCEL));
      fail(signal?.reason instanceof Error ? signal.reason : new FerryUnavailableError('relay request cancelled', { code: 'relay_cancelled' }));
    };
    const silence = setInterval(() => {
      if (Date.now() - lastFrameAt > SILENCE_LIMIT_MS) fail(unavailable(identifier, 'the hub replica holding its stream went silent'));
    }, KEEPALIVE_MS);
    const subscription = this.#nc.subscribe(inbox, {
      callback: (error, msg) => {
        if (error) return fail(unavailable(identifier, error.message));
        lastFrameAt = Date.now();
        const type = msg.data[0];
        const payload = msg.data.subarray(1);
        if (type === FRAME_HEAD) {
          const parsed = JSON.parse(Buffer.from(payload).toString()) as { status: number; headers: Array<[string, string]> };
          settled = true;
          resolveHead({ status: parsed.status, headers: parsed.headers, body: window.readable });
        } else if (type === FRAME_DATA) window.push(Buffer.from(payload));
        else if (type === FRAME_END) {
          cleanup();
          window.end();
        } else if (type === FRAME_ERROR) {
          const parsed = JSON.parse(Buffer.from(payload).toString()) as { code: string; message: string; kind: string };
          fail(rebuildError(parsed));
        }
      },
    });
    function cleanup() {
      clearInterval(silence);
      subscription.unsubscribe();
      signal?.removeEventListener('abort', cancel);
    }
    signal?.addEventListener('abort', cancel, { once: true });

    const wire: WireRequest = { inbox, method: request.method, destination: request.destination, headers: request.headers, ...(body ? { body: body.toString('base64') } : {}) };
    try {
      const reply = await this.#nc.request(this.#agentSubject(tenant, identifier), JSON.stringify(wire), { timeout: 10_000 });
      const parsed = JSON.parse(reply.string()) as WireReply;
      if (!parsed.ok) throw rebuildError({ kind: 'unavailable', code: parsed.code, message: parsed.message });
      control = parsed.control;
    } catch (error) {
      const failure =
        error instanceof FerryError
          ? error
          : unavailable(identifier, (error as { code?: string }).code === '503' ? 'it is not connected to any hub replica' : `the hub replicas could not be reached (${(error as Error).message})`);
      fail(failure);
    }
    return head;
  }

  async close(): Promise<void> {
    await this.#nc.drain().catch(() => this.#nc.close());
  }

  /** Serves one request from another replica through a local stream. */
  async #respond(tenant: string, identifier: string, msg: Msg): Promise<void> {
    let wire: WireRequest;
    try {
      wire = JSON.parse(msg.string()) as WireRequest;
    } catch {
      msg.respond(JSON.stringify({ ok: false, code: 'bad_request', message: 'unreadable relay request' } satisfies WireReply));
      return;
    }
    const session = this.#registry.pick(tenant, identifier);
    if (!session) {
      msg.respond(JSON.stringify({ ok: false, code: 'agent_unavailable', message: `Remote Network Agent "${identifier}" is no longer connected here` } satisfies WireReply));
      return;
    }
    const control = createInbox();
    const window = new SendWindow(DEFAULT_WINDOW);
    const abort = new AbortController();
    let response: RelayResponse | undefined;
    const controlSubscription = this.#nc.subscribe(control, {
      callback: (error, frame) => {
        if (error) return;
        if (frame.data[0] === FRAME_CREDIT) window.grant(Buffer.from(frame.data).readUInt32BE(1));
        else if (frame.data[0] === FRAME_CANCEL) {
          abort.abort(new FerryUnavailableError('cancelled by the requesting replica', { code: 'relay_cancelled' }));
          response?.body.destroy();
          window.close('cancelled');
        }
      },
    });
    const keepalive = setInterval(() => this.#nc.publish(wire.inbox, Uint8Array.of(FRAME_KEEPALIVE)), KEEPALIVE_MS);
    msg.respond(JSON.stringify({ ok: true, control } satisfies WireReply));
    try {
      const request: RelayRequest = {
        method: wire.method,
        destination: wire.destination,
        headers: wire.headers,
        ...(wire.body !== undefined ? { body: Buffer.from(wire.body, 'base64') } : {}),
      };
      response = await session.open(request, abort.signal);
      this.#nc.publish(wire.inbox, frame(FRAME_HEAD, Buffer.from(JSON.stringify({ status: response.status, headers: response.headers }))));
      await pumpWithCredit(response.body, window, (chunk) => this.#nc.publish(wire.inbox, frame(FRAME_DATA, chunk)));
      this.#nc.publish(wire.inbox, Uint8Array.of(FRAME_END));
    } catch (error) {
      if (!abort.signal.aborted) {
        const kind = error instanceof FerryForbiddenError ? 'forbidden' : error instanceof FerryInputError ? 'input' : 'unavailable';
        const code = error instanceof FerryError ? error.code : 'relay_failed';
        this.#nc.publish(wire.inbox, frame(FRAME_ERROR, Buffer.from(JSON.stringify({ kind, code, message: (error as Error).message }))));
        this.#logger.debug({ agent: identifier, code }, 'cross-replica relay request failed');
      }
    } finally {
      clearInterval(keepalive);
      controlSubscription.unsubscribe();
    }
  }

  #agentSubject(tenant: string, identifier: string): string {
    // base64url keeps dots and wildcards in names from changing the subject's structure.
    return `${this.#prefix}.relay.${Buffer.from(tenant).toString('base64url')}.${Buffer.from(identifier).toString('base64url')}`;
  }
}

function frame(type: number, payload: Buffer): Uint8Array {
  const out = Buffer.allocUnsafe(payload.length + 1);
  out[0] = type;
  payload.copy(out, 1);
  return out;
}

function creditFrame(bytes: number): Uint8Array {
  const out = Buffer.alloc(5);
  out[0] = FRAME_CREDIT;
  out.writeUInt32BE(bytes, 1);
  return out;
}

async function collect(body: NonNullable<RelayRequest['body']>): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part));
  return Buffer.concat(parts);
}

function rebuildError(error: { kind: string; code: string; message: string }): FerryError {
  if (error.kind === 'forbidden') return new FerryForbiddenError(error.message, { code: error.code });
  if (error.kind === 'input') return new FerryInputError(error.message, { code: error.code });
  return new FerryUnavailableError(error.message, { code: error.code });
}

function unavailable(identifier: string, reason: string): FerryError {
  return new FerryUnavailableError(`Remote Network Agent "${identifier}": ${reason}`, { code: 'agent_unavailable', details: { agent: identifier } });
}

