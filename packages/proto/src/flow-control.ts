import { finished, Readable } from 'node:stream';

/** Bytes one side lets the other send for one request before it grants more. */
export const DEFAULT_WINDOW = 256 * 1024;
/** Body chunks are cut to at most this size so one request cannot hog the shared stream. */
export const MAX_CHUNK = 64 * 1024;

/**
 * The sending half of one request's flow control: a body may be sent only while the
 * receiver has granted credit. A chunk is sent whole once any credit is left, so the
 * receiver buffers at most its window plus one chunk.
 */
export class SendWindow {
  #credit: number;
  #waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  /** Why the window closed; an Error is made only when a sender is there to see it (most requests end with nobody waiting). */
  #closed: Error | string | undefined;

  constructor(initialCredit: number) {
    this.#credit = initialCredit;
  }

  get credit(): number {
    return this.#credit;
  }

  grant(bytes: number): void {
    this.#credit += bytes;
    if (this.#credit > 0) for (const waiter of this.#waiters.splice(0)) waiter.resolve();
  }

  /** Resolves once there is credit; rejects when the request ends first. */
  async ready(): Promise<void> {
    if (this.#closed !== undefined) throw this.#closedError();
    if (this.#credit > 0) return;
    await new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  consume(bytes: number): void {
    this.#credit -= bytes;
  }

  /** Fails every waiting sender (the request was cancelled or the stream broke). */
  close(reason: Error | string): void {
    this.#closed ??= reason;
    if (this.#waiters.length === 0) return;
    const error = this.#closedError();
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }

  #closedError(): Error {
    if (typeof this.#closed === 'string') this.#closed = new Error(this.#closed);
    return this.#closed!;
  }
}

/** Splits a buffer into pieces of at most MAX_CHUNK bytes (no copies). */
export function* chunksOf(data: Buffer, max = MAX_CHUNK): Generator<Buffer> {
  for (let offset = 0; offset < data.length; offset += max) yield data.subarray(offset, Math.min(offset + max, data.length));
}

/** Sends a body under a SendWindow: waits for credit before each chunk. */
export async function sendWithCredit(
  source: AsyncIterable<Buffer | string | Uint8Array> | Iterable<Buffer | string | Uint8Array>,
  window: SendWindow,
  send: (chunk: Buffer) => void,
): Promise<void> {
  for await (const piece of source) {
    const data = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
    for (const chunk of chunksOf(data)) {
      await window.ready();
      window.consume(chunk.length);
      send(chunk);
    }
  }
}

/** A source that can be paused while there is no credit: a Node stream, or an HTTP client's response. */
export interface PausableSource {
  pause(): void;
  resume(): void;
}

/**
 * Sends pieces of a body as they arrive, under a SendWindow: what credit allows goes out at
 * once (cut to MAX_CHUNK); when credit runs out the source is paused and the rest of the piece
 * is held until the next grant. No promise per chunk, which matters for many small bodies.
 */
export class CreditPump {
  readonly #window: SendWindow;
  readonly #send: (chunk: Buffer) => void;
  readonly #source: PausableSource;
  readonly #onError: (error: Error) => void;
  #held: Buffer | undefined;
  #drained: Array<() => void> = [];

  constructor(options: { window: SendWindow; send(chunk: Buffer): void; source: PausableSource; onError(error: Error): void }) {
    this.#window = options.window;
    this.#send = options.send;
    this.#source = options.source;
    this.#onError = options.onError;
  }

  write(piece: Buffer | Uint8Array | string): void {
    const data = typeof piece === 'string' ? Buffer.from(piece) : Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    let offset = 0;
    while (offset < data.length && this.#window.credit > 0) {
      const chunk = data.subarray(offset, Math.min(offset + MAX_CHUNK, data.length));
      offset += chunk.length;
      this.#window.consume(chunk.length);
      this.#send(chunk);
    }
    if (this.#window.credit > 0) return;
    this.#source.pause();
    this.#held = data.subarray(offset);
    this.#window.ready().then(
      () => {
        const held = this.#held!;
        this.#held = undefined;
        this.write(held);
        if (this.#held) return;
        this.#source.resume();
        for (const resolve of this.#drained.splice(0)) resolve();
      },
      (error: unknown) => this.#onError(error as Error),
    );
  }

  /** Resolves once nothing is held back (before the end of the body is sent). */
  drained(): Promise<void> {
    if (!this.#held) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }
}

/** Sends a Node stream under a SendWindow (see CreditPump); resolves when the stream has ended and every byte is sent. */
export function pumpWithCredit(source: Readable, window: SendWindow, send: (chunk: Buffer) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      source.off('data', onData);
      reject(error);
    };
    const pump = new CreditPump({ window, send, source, onError: fail });
    const onData = (piece: Buffer | string) => pump.write(piece);
    source.on('data', onData);
    finished(source, (error) => {
      if (error) fail(error);
      else if (!failed) void pump.drained().then(resolve);
    });
  });
}

export interface ReceiveWindow {
  /** The body as a Node stream; reading it is what grants the sender more credit. */
  readable: Readable;
  push(chunk: Buffer): void;
  end(): void;
  fail(error: Error): void;
  /** Whether the body ended, failed or was abandoned by its reader. */
  readonly finished: boolean;
}

/**
 * The receiving half: chunks go into a Readable; as its reader consumes them the sender is
 * granted credit so that at most `window` bytes wait here. Credit is granted in batches (a
 * quarter window at least) unless the sender may be starved, which keeps WindowUpdate
 * frames rare without ever stalling. Destroying the readable early calls `onAbandon`.
 */
export function createReceiveWindow(options: { window: number; grant(bytes: number): void; onAbandon(): void }): ReceiveWindow {
  let received = 0;
  let allowance = options.window;
  let finished = false;
  const readable = new Readable({
    highWaterMark: options.window,
    read() {
      // Readable calls _read before it takes the chunk being read off its buffer: count
      // what was consumed once that read has finished.
      queueMicrotask(maybeGrant);
    },
    destroy(error, callback) {
      if (!finished) {
        finished = true;
        options.onAbandon();
      }
      callback(error);
    },
  });
  function maybeGrant(): void {
    const consumed = received - readable.readableLength;
    const extra = consumed + options.window - allowance;
    const starving = allowance - received <= options.window / 4;
    if (!finished && extra > 0 && (extra >= options.window / 4 || starving)) {
      allowance += extra;
      options.grant(extra);
    }
  }
  return {
    readable,
    push(chunk) {
      if (finished) return;
      received += chunk.length;
      readable.push(chunk);
    },
    end() {
      if (finished) return;
      finished = true;
      readable.push(null);
    },
    fail(error) {
      if (finished) return;
      finished = true;
      readable.destroy(error);
    },
    get finished() {
      return finished;
    },
  };
}
