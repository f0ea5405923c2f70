import { setImmediate as nextTurn } from 'node:timers/promises';
import { credentials, Server, ServerCredentials, type ServerDuplexStream } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { FrameBatcher } from './frame-batcher.js';
import { agentHubProto, agentHubService } from './load.js';
import type { AgentMessage, AgentMessage__Output } from './generated/ferry/agenthub/v1/AgentMessage.js';
import type { HubMessage } from './generated/ferry/agenthub/v1/HubMessage.js';

type Frame = { n: number } | { batch: Frame[] };

function recorder(maxBytes?: number) {
  const written: Frame[] = [];
  const batcher = new FrameBatcher<Frame>({ write: (message) => written.push(message), wrap: (frames) => ({ batch: frames }), ...(maxBytes ? { maxBytes } : {}) });
  return { written, batcher };
}

describe('FrameBatcher', () => {
  it('writes each frame at once until the peer accepts batches', () => {
    const { written, batcher } = recorder();
    batcher.push({ n: 1 });
    batcher.push({ n: 2 });
    expect(written).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('sends the frames of one loop turn as one batch, in order, and a lone frame as itself', async () => {
    const { written, batcher } = recorder();
    batcher.enabled = true;
    batcher.push({ n: 1 });
    batcher.push({ n: 2 });
    batcher.push({ n: 3 });
    expect(written).toEqual([]);
    await nextTurn();
    expect(written).toEqual([{ batch: [{ n: 1 }, { n: 2 }, { n: 3 }] }]);
    batcher.push({ n: 4 });
    await nextTurn();
    expect(written).toEqual([{ batch: [{ n: 1 }, { n: 2 }, { n: 3 }] }, { n: 4 }]);
  });

  it('flushes early once the queued bodies reach the byte limit', () => {
    const { written, batcher } = recorder(1000);
    batcher.enabled = true;
    batcher.push({ n: 1 }, 600);
    expect(written).toEqual([]);
    batcher.push({ n: 2 }, 600);
    expect(written).toEqual([{ batch: [{ n: 1 }, { n: 2 }] }]);
  });

  it('flushes on demand and drops the queue when the stream is gone', async () => {
    const { written, batcher } = recorder();
    batcher.enabled = true;
    batcher.push({ n: 1 });
    batcher.flush();
    expect(written).toEqual([{ n: 1 }]);
    batcher.push({ n: 2 });
    batcher.clear();
    await nextTurn();
    expect(written).toEqual([{ n: 1 }]);
  });

  it('carries a batch of relay frames over a real gRPC stream, decoded in order', async () => {
    const server = new Server();
    const received = new Promise<AgentMessage__Output>((resolve) => {
      server.addService(agentHubService(), {
        Connect(call: ServerDuplexStream<AgentMessage__Output, HubMessage>) {
          call.on('data', (message: AgentMessage__Output) => {
            resolve(message);
            call.end();
          });
        },
      });
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const client = new (agentHubProto().AgentHub)(`127.0.0.1:${port}`, credentials.createInsecure());
    const call = client.connect();
    call.on('data', () => undefined);
    const ended = new Promise<void>((resolve) => call.on('end', resolve));
    const batcher = new FrameBatcher<AgentMessage>({ write: (message) => call.write(message), wrap: (frames) => ({ batch: { frames } }) });
    batcher.enabled = true;
    batcher.push({ responseHead: { requestId: 3, status: 200, headers: [{ name: 'content-type', value: 'text/plain' }] } });
    batcher.push({ responseBody: { requestId: 3, data: Buffer.from('hello') } }, 5);
    batcher.push({ responseEnd: { requestId: 3 } });
    const message = await received;
    expect(message.kind).toBe('batch');
    expect(message.batch!.frames.map((frame) => frame.kind)).toEqual(['responseHead', 'responseBody', 'responseEnd']);
    expect(message.batch!.frames[1]!.responseBody!.data.toString()).toBe('hello');
    await ended;
    call.end();
    client.close();
    server.forceShutdown();
  });
});
