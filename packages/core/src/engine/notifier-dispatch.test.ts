import { describe, expect, it } from 'vitest';
import { definePlugin } from '../plugins/define-plugin.js';
import type { EngineEventV1, LoggerV1, NotifierV1 } from '../plugins/contracts.js';
import { MemoryStore, createManualClock, createRecordingCluster, testCanaryStrategy, testDeployFile, testTarget, timedPause } from '../testing/index.js';
import { createEngine } from './create-engine.js';

/** Captures every log line (bindings included) as JSON. */
function capturingLogger(lines: string[], bindings: Record<string, unknown> = {}): LoggerV1 {
  const log = (level: string) => (obj: object | string, msg?: string) => lines.push(JSON.stringify({ level, ...bindings, ...(typeof obj === 'string' ? { msg: obj } : obj), ...(msg ? { msg } : {}) }));
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (b) => capturingLogger(lines, { ...bindings, ...b }) };
}

function recordingNotifier(name: string, seen: string[], events?: string[]): NotifierV1 {
  return {
    specificationVersion: 'v1',
    kind: 'recording',
    name,
    ...(events ? { events } : {}),
    async notify(event) {
      seen.push(`${event.seq} ${event.type}`);
    },
  };
}

const file = testDeployFile({
  targets: { prod: testTarget('prod', { strategy: 'c' }) },
  strategies: { c: { kind: 'canary', name: 'c', steps: [{ kind: 'setWeight', weight: 25 }, timedPause(30)] } },
});

function setup(notifiers: NotifierV1[], lines: string[] = []) {
  const clock = createManualClock();
  const cluster = createRecordingCluster();
  const engine = createEngine({
    store: new MemoryStore(),
    clock,
    logger: capturingLogger(lines),
    notifications: { attempts: 3, backoffMs: 1, timeoutMs: 100 },
    plugins: [
      definePlugin({
        id: 'test.notify',
        register(ctx) {
          ctx.strategies.add(testCanaryStrategy());
          ctx.clusterConnectors.add(cluster.connector);
          for (const n of notifiers) ctx.notifiers.add(n);
        },
      }),
    ],
  });
  return { clock, engine };
}

describe('notifier dispatch', () => {
  it('hands each notifier the events its filter matches, in order', async () => {
    const all: string[] = [];
    const completions: string[] = [];
    const env = setup([recordingNotifier('all', all), recordingNotifier('done', completions, ['deployment.completed', 'target.completed'])]);
    const d = await env.engine.start(file);
    await env.engine.idle();
    env.clock.advance(30_000);
    await env.engine.idle();
    const stored = (await env.engine.listEvents(d.id)).map((e) => `${e.seq} ${e.type}`);
    expect(all).toEqual(stored);
    expect(completions).toEqual(stored.filter((e) => e.endsWith('deployment.completed') || e.endsWith('target.completed')));
    expect(completions).toHaveLength(2);
    await env.engine.close();
  });

  it('retries a failing notifier a bounded number of times, logs without the secret, and never fails the deployment', async () => {
    const lines: string[] = [];
    let calls = 0;
    const failing: NotifierV1 = {
      specificationVersion: 'v1',
      kind: 'broken',
      name: 'broken',
      events: ['deployment.completed'],
      async notify() {
        calls++;
        throw Object.assign(new Error('chat service said 500'), { code: 'E_CHAT', request: { headers: { authorization: 'Bearer s3cret-notifier-token' } } });
      },
    };
    const hanging: NotifierV1 = {
      specificationVersion: 'v1',
      kind: 'hanging',
      name: 'hanging',
      events: ['deployment.started'],
      notify: (_event: EngineEventV1, { signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
    };
    const ok: string[] = [];
    const env = setup([failing, hanging, recordingNotifier('ok', ok, ['deployment.completed'])], lines);
    const d = await env.engine.start(file);
    await env.engine.idle();
    env.clock.advance(30_000);
    await env.engine.idle();
    expect((await env.engine.get(d.id)).state.status).toBe('SUCCEEDED');
    expect(calls).toBe(3);
    expect(ok).toHaveLength(1);
    const dropped = lines.filter((l) => l.includes('notification dropped'));
    expect(dropped).toHaveLength(2);
    expect(JSON.parse(dropped.find((l) => l.includes('"broken"')) as string)).toMatchObject({ level: 'warn', notifier: 'broken', eventType: 'deployment.completed', attempt: 3, err: { message: 'chat service said 500', code: 'E_CHAT' } });
    expect(lines.join('\n')).not.toContain('s3cret-notifier-token');
    await env.engine.close();
  });

  it('stops delivering when the engine closes', async () => {
    let calls = 0;
    const slow: NotifierV1 = {
      specificationVersion: 'v1',
      kind: 'slow',
      name: 'slow',
      notify: (_event, { signal }) => {
        calls++;
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
      },
    };
    const env = setup([slow]);
    await env.engine.start(file);
    for (let i = 0; i < 100 && calls === 0; i++) await new Promise((r) => setImmediate(r));
    await env.engine.close();
    await env.engine.idle();
    expect(calls).toBe(1); // the first event's delivery was abandoned, the queued ones never started
  });
});
