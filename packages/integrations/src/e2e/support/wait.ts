import type { DeploymentStateV1, FerryEngine } from '@ferry/core';

export const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED'];

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every reason recorded on the deployment and its targets, for assertion messages. */
export function why(state: DeploymentStateV1): string {
  return [state.reason, ...Object.entries(state.targets).map(([name, t]) => `${name}: ${t.status}${t.reason ? ` (${t.reason})` : ''}`)].filter(Boolean).join('; ');
}

/** Polls the engine until the deployment's state satisfies `done`. */
export async function untilState(engine: FerryEngine, id: string, what: string, done: (state: DeploymentStateV1) => boolean, timeoutMs = 180_000): Promise<DeploymentStateV1> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { state } = await engine.get(id);
    if (done(state)) return state;
    if (TERMINAL.includes(state.status)) throw new Error(`deployment ${id} ended ${state.status} without ${what}: ${why(state)}`);
    if (Date.now() > deadline) throw new Error(`deployment ${id}: no ${what} after ${timeoutMs} ms; it is ${state.status}: ${why(state)}`);
    await sleep(250);
  }
}

/** Polls until the deployment ends. */
export async function untilEnded(engine: FerryEngine, id: string, timeoutMs = 180_000): Promise<DeploymentStateV1> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { state } = await engine.get(id);
    if (TERMINAL.includes(state.status)) return state;
    if (Date.now() > deadline) throw new Error(`deployment ${id} did not end within ${timeoutMs} ms; it is ${state.status}: ${why(state)}`);
    await sleep(250);
  }
}
