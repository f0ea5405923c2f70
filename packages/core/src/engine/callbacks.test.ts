import { describe, expect, it } from 'vitest';
import type { StepConfig } from '../config/types.js';
import { FerryConflictError, FerryForbiddenError, FerryInputError, FerryNotFoundError } from '../errors/index.js';
import { definePlugin } from '../plugins/define-plugin.js';
import type { CallbackV1, StepKindV1 } from '../plugins/contracts.js';
import { MemoryStore, createManualClock, createRecordingCluster, testCanaryStrategy, testDeployFile, testTarget, type ManualClock } from '../testing/index.js';
import { createEngine, type FerryEngine } from './create-engine.js';

const STEP = 'prod/strategy/2';

/** A step kind that mints a callback token, hands it to the test, and waits for the answer. */
function awaitCallbackStepKind(tokens: string[], seen: CallbackV1[]): StepKindV1 {
  return {
    specificationVersion: 'v1',
    kind: 'awaitCallback',
    async run(ctx) {
      if (ctx.callback) {
        seen.push(ctx.callback);
        return ctx.callback.success ? { status: 'succeeded' } : { status: 'failed', reason: `the job said: ${ctx.callback.mdMessage ?? 'no'}` };
      }
      if (ctx.state === undefined) {
        if (!ctx.issueCallbackToken) throw new Error('no callback tokens in this engine');
        tokens.push(await ctx.issueCallbackToken());
      }
      return { status: 'waiting', state: { sent: true }, wakeAt: ctx.startedAt + 3_600_000 };
    },
  };
}

function setup(store = new MemoryStore(), clock: ManualClock = createManualClock(), owner = 'engine-a') {
  const tokens: string[] = [];
  const seen: CallbackV1[] = [];
  const cluster = createRecordingCluster();
  const engine = createEngine({
    store,
    clock,
    owner,
    plugins: [
      definePlugin({
        id: 'test.callbacks',
        register(ctx) {
          ctx.strategies.add(testCanaryStrategy());
          ctx.clusterConnectors.add(cluster.connector);
          ctx.stepKinds.add(awaitCallbackStepKind(tokens, seen));
        },
      }),
    ],
  });
  return { store, clock, engine, tokens, seen, cluster };
}

const steps: StepConfig[] = [{ kind: 'setWeight', weight: 25 }, { kind: 'custom', stepKind: 'awaitCallback', config: {} }, { kind: 'setWeight', weight: 50 }];
const file = testDeployFile({ targets: { prod: testTarget('prod', { strategy: 'c' }) }, strategies: { c: { kind: 'canary', name: 'c', steps } } });

async function startWaiting(engine: FerryEngine) {
  const d = await engine.start(file);
  await engine.idle();
  const record = await engine.get(d.id);
  expect(record.state.targets['prod']?.steps[STEP]?.status).toBe('WAITING');
  return d.id;
}

describe('engine.callback', () => {
  it('hands a success to the waiting step, which then succeeds and the deployment completes', async () => {
    const env = setup();
    const id = await startWaiting(env.engine);
    expect(env.tokens).toHaveLength(1);
    const token = env.tokens[0] as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await env.engine.callback(id, { stepId: STEP, token, success: true, mdMessage: 'all **green**', by: 'ci' });
    await env.engine.idle();
    const done = await env.engine.get(id);
    expect(done.state.status).toBe('SUCCEEDED');
    expect(env.seen).toEqual([{ success: true, mdMessage: 'all **green**', at: env.clock.now(), by: 'ci' }]);
    const st = done.state.targets['prod']?.steps[STEP];
    expect(st?.callback).toBeUndefined();
    // Only the hash is stored: the token appears nowhere in the record or the events.
    expect(st?.callbackTokenHashes).toHaveLength(1);
    const dump = JSON.stringify([done, await env.engine.listEvents(id)]);
    expect(dump).not.toContain(token);
    const received = (await env.engine.listEvents(id)).find((e) => e.type === 'step.callbackReceived');
    expect(received).toMatchObject({ stepId: STEP, target: 'prod', data: { success: true, by: 'ci' } });
    await env.engine.close();
  });

  it('hands a failure to the step, and the target rolls back', async () => {
    const env = setup();
    const id = await startWaiting(env.engine);
    await env.engine.callback(id, { stepId: STEP, token: env.tokens[0] as string, success: false, mdMessage: 'logs show errors', by: 'ci' });
    await env.engine.idle();
    const done = await env.engine.get(id);
    expect(done.state.status).toBe('FAILED');
    expect(done.state.targets['prod']?.status).toBe('ROLLED_BACK');
    expect(done.state.targets['prod']?.steps[STEP]?.reason).toBe('the job said: logs show errors');
    await env.engine.close();
  });

  it('refuses a wrong token, an unknown step or deployment, a bad body, and a step that is not waiting', async () => {
    const env = setup();
    const id = await startWaiting(env.engine);
    const token = env.tokens[0] as string;
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const attempt = (input: Partial<Parameters<FerryEngine['callback']>[1]>, deploymentId = id) =>
      env.engine.callback(deploymentId, { stepId: STEP, token, success: true, by: 'ci', ...input });
    await expect(attempt({ token: wrong })).rejects.toBeInstanceOf(FerryForbiddenError);
    await expect(attempt({ token: '' })).rejects.toBeInstanceOf(FerryForbiddenError);
    await expect(attempt({ stepId: 'prod/strategy/9' })).rejects.toBeInstanceOf(FerryNotFoundError);
    await expect(attempt({}, 'no-such-deployment')).rejects.toBeInstanceOf(FerryNotFoundError);
    await expect(attempt({ success: 'yes' as unknown as boolean })).rejects.toBeInstanceOf(FerryInputError);
    // The token of one step does not answer another.
    await expect(attempt({ stepId: 'prod/strategy/1' })).rejects.toBeInstanceOf(FerryForbiddenError);
    const wrongError = await attempt({ token: wrong }).then(
      () => new Error('accepted'),
      (e: unknown) => e as Error,
    );
    expect(wrongError.message).not.toContain(wrong);
    expect(wrongError.message).not.toContain(token);
    // Nothing was recorded by the refused calls.
    expect((await env.engine.get(id)).state.targets['prod']?.steps[STEP]?.callback).toBeUndefined();

    await attempt({});
    // Answered but not yet run (the engine is between transitions): a second answer conflicts.
    await expect(attempt({ success: false })).rejects.toMatchObject({ code: 'already_called_back' });
    await env.engine.idle();
    expect((await env.engine.get(id)).state.status).toBe('SUCCEEDED');
    const late = await attempt({}).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(FerryConflictError);
    await env.engine.close();
  });

  it('persists the callback: an engine restarted on the same store hands it to the step', async () => {
    const store = new MemoryStore();
    const clock = createManualClock();
    const first = setup(store, clock, 'engine-a');
    const id = await startWaiting(first.engine);
    const token = first.tokens[0] as string;
    await first.engine.close();

    // Answered while no engine runs the deployment (the closed one only writes to the store).
    await first.engine.callback(id, { stepId: STEP, token, success: true, by: 'ci' });
    const persisted = (await store.get(id))?.state;
    expect(persisted?.targets['prod']?.steps[STEP]?.callback).toMatchObject({ success: true, by: 'ci' });
    expect(persisted?.wakeAt).toBe(clock.now());

    const restarted = setup(store, clock, 'engine-a');
    await restarted.engine.idle();
    expect(restarted.tokens).toEqual([]); // the waiting step did not send again
    expect(restarted.seen).toHaveLength(1);
    expect((await restarted.engine.get(id)).state.status).toBe('SUCCEEDED');
    await restarted.engine.close();
  });

  it('hands a callback that arrives while the step is still running to its next run', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tokens: string[] = [];
    const seen: CallbackV1[] = [];
    const inner = awaitCallbackStepKind(tokens, seen);
    const slow: StepKindV1 = {
      ...inner,
      async run(ctx) {
        const outcome = await inner.run(ctx);
        if (!ctx.callback) await gate; // the external system answers before this run returns
        return outcome;
      },
    };
    const cluster = createRecordingCluster();
    const engine = createEngine({
      store: new MemoryStore(),
      clock: createManualClock(),
      plugins: [definePlugin({ id: 't', register: (ctx) => (ctx.strategies.add(testCanaryStrategy()), ctx.clusterConnectors.add(cluster.connector), ctx.stepKinds.add(slow)) })],
    });
    const d = await engine.start(file);
    for (let i = 0; i < 50 && tokens.length === 0; i++) await new Promise((r) => setImmediate(r));
    expect((await engine.get(d.id)).state.targets['prod']?.steps[STEP]?.status).toBe('RUNNING');
    await engine.callback(d.id, { stepId: STEP, token: tokens[0] as string, success: true, by: 'fast-ci' });
    release();
    await engine.idle();
    expect(seen.map((c) => c.by)).toEqual(['fast-ci']);
    expect((await engine.get(d.id)).state.status).toBe('SUCCEEDED');
    await engine.close();
  });
});
