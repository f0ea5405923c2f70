import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { createReceiveWindow, pumpWithCredit, SendWindow, sendWithCredit } from './flow-control.js';

const WINDOW = 64 * 1024;

function patterned(length: number): Buffer {
  const body = Buffer.alloc(length);
  for (let i = 0; i < body.length; i++) body[i] = i % 251;
  return body;
}

/** Runs a sender against a receive window read by a slow reader, which the sender must wait for instead of filling memory. */
async function throughSlowReader(sendBody: (sender: SendWindow, send: (chunk: Buffer) => void) => Promise<void>): Promise<{ received: Buffer; maxBuffered: number }> {
  const sender = new SendWindow(WINDOW);
  const receiver = createReceiveWindow({ window: WINDOW, grant: (bytes) => sender.grant(bytes), onAbandon: () => undefined });
  let maxBuffered = 0;
  const sending = sendBody(sender, (chunk) => {
    receiver.push(chunk);
    maxBuffered = Math.max(maxBuffered, receiver.readable.readableLength);
  }).then(() => receiver.end());
  const parts: Buffer[] = [];
  for await (const part of receiver.readable) {
    parts.push(part as Buffer);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await sending;
  return { received: Buffer.concat(parts), maxBuffered };
}

describe('per-request flow control', () => {
  it('never lets more than a window plus one chunk wait at the receiver, and delivers every byte in order', async () => {
    const body = patterned(1024 * 1024);
    const { received, maxBuffered } = await throughSlowReader((sender, send) => sendWithCredit([body], sender, send));
    expect(received.equals(body)).toBe(true);
    expect(maxBuffered).toBeLessThanOrEqual(WINDOW + 64 * 1024);
  });

  it('pumps a stream under the window: a big piece waits for credit between chunks, and every byte arrives in order', async () => {
    const body = patterned(1024 * 1024 + 17);
    // One 1 MiB piece, then small ones: neither may overrun the window by more than one chunk.
    const pieces = [body.subarray(0, 1024 * 1024), body.subarray(1024 * 1024, 1024 * 1024 + 10), body.subarray(1024 * 1024 + 10)];
    const { received, maxBuffered } = await throughSlowReader((sender, send) => pumpWithCredit(Readable.from(pieces, { objectMode: false }), sender, send));
    expect(received.equals(body)).toBe(true);
    expect(maxBuffered).toBeLessThanOrEqual(WINDOW + 64 * 1024);
  });

  it('fails a pump whose source breaks, and one whose window closes while it waits', async () => {
    const broken = new Readable({ read() {} });
    const pumping = pumpWithCredit(broken, new SendWindow(1024), () => undefined);
    broken.push('part');
    broken.destroy(new Error('upstream reset'));
    await expect(pumping).rejects.toThrow('upstream reset');

    const window = new SendWindow(4);
    const stalled = new Readable({ read() {} });
    const waiting = pumpWithCredit(stalled, window, () => undefined);
    stalled.push('more than four bytes');
    await new Promise((resolve) => setImmediate(resolve));
    window.close('cancelled');
    await expect(waiting).rejects.toThrow('cancelled');
    expect(stalled.isPaused()).toBe(true);
  });

  it('stops a waiting sender when the request is closed', async () => {
    const sender = new SendWindow(0);
    const waiting = sender.ready();
    sender.close(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    await expect(sender.ready()).rejects.toThrow('cancelled');
  });

  it('reports a reader that gives up early so the sender can be cancelled', () => {
    let abandoned = 0;
    const receiver = createReceiveWindow({ window: 1024, grant: () => undefined, onAbandon: () => abandoned++ });
    receiver.push(Buffer.from('partial'));
    receiver.readable.destroy();
    expect(abandoned).toBe(1);
    expect(receiver.finished).toBe(true);
  });
});
