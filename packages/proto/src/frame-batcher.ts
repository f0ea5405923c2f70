/** A batch is flushed early once its body bytes reach this, keeping messages far below gRPC's 4 MiB limit. */
export const MAX_BATCH_BYTES = 256 * 1024;

/** Bytes counted for a frame without a body (a head, an end, a window update), so huge runs of them flush too. */
const FRAME_OVERHEAD = 64;

export interface FrameBatcherOptions<M> {
  /** Writes one message to the stream. */
  write(message: M): void;
  /** Wraps several frames into one batch message (`{ batch: { frames } }`). */
  wrap(frames: M[]): M;
  /** Flush once the queued frames carry this many bytes; defaults to MAX_BATCH_BYTES. */
  maxBytes?: number;
  /** The size of the body a frame carries, when `push` is not told it. */
  bodyBytes?(frame: M): number;
}

/**
 * Coalesces the frames written during one turn of the event loop into one gRPC message.
 * Encoding and writing a gRPC message has a fixed cost that dwarfs a small frame, so a
 * small relayed exchange (response head, body, end) and the frames of many concurrent
 * requests are sent together. Frames keep their order; a lone frame is sent as itself.
 * Until `enabled` is set (the peer said it accepts batches), every frame is written at once.
 */
export class FrameBatcher<M> {
  enabled = false;
  readonly #options: FrameBatcherOptions<M>;
  readonly #maxBytes: number;
  #queue: M[] = [];
  #bytes = 0;
  #scheduled: NodeJS.Immediate | undefined;

  constructor(options: FrameBatcherOptions<M>) {
    this.#options = options;
    this.#maxBytes = options.maxBytes ?? MAX_BATCH_BYTES;
  }

  /** Queues a frame (`bodyBytes`: the size of the body it carries, if any). */
  push(frame: M, bodyBytes = this.#options.bodyBytes?.(frame) ?? 0): void {
    if (!this.enabled) {
      this.#options.write(frame);
      return;
    }
    this.#queue.push(frame);
    this.#bytes += bodyBytes + FRAME_OVERHEAD;
    if (this.#bytes >= this.#maxBytes) this.flush();
    // After the I/O callbacks of this loop turn: everything they write goes in one message.
    else this.#scheduled ??= setImmediate(() => this.flush());
  }

  /** Writes what is queued now (before ending the stream, say). */
  flush(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    const frames = this.#queue;
    if (frames.length === 0) return;
    this.#queue = [];
    this.#bytes = 0;
    this.#options.write(frames.length === 1 ? frames[0]! : this.#options.wrap(frames));
  }

  /** Drops what is queued (the stream is gone). */
  clear(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    this.#queue = [];
    this.#bytes = 0;
  }
}

/** The frames of either direction: each may carry a body chunk, and wraps into a `batch`. */
interface BatchableFrame<M> {
  requestBody?: { data?: { length: number } | null } | null;
  responseBody?: { data?: { length: number } | null } | null;
  batch?: { frames?: M[] | null } | null;
}

/** The part of a gRPC call the batcher writes to. */
export interface FrameStream<M> {
  write(message: M): unknown;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
}

/**
 * A FrameBatcher for one Agent Hub call (either side). Batches go out a loop turn after their
 * frames were pushed, so a batch for a call that has ended meanwhile is dropped; a frame is
 * sized by the body chunk it carries.
 */
export function streamFrameBatcher<M extends BatchableFrame<M>>(stream: FrameStream<M>): FrameBatcher<M> {
  return new FrameBatcher<M>({
    write: (message) => {
      if (!stream.writableEnded && !stream.destroyed) stream.write(message);
    },
    wrap: (frames) => ({ batch: { frames } }) as M,
    bodyBytes: (frame) => frame.requestBody?.data?.length ?? frame.responseBody?.data?.length ?? 0,
  });
}
