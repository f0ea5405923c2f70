import type { DeploymentStateV1, FerryEngine } from '@ferry/core';

export const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED'];

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls the engine's record until the deployment reaches one of `statuses`. */
export async function untilStatus(engine: FerryEngine, id: string, statuses: string[] = TERMINAL, timeoutMs = 240_000): Promise<DeploymentStateV1> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { state } = await engine.get(id);
    if (statuses.includes(state.status)) return state;
    if (Date.now() > deadline) throw new Error(`deployment ${id} is ${state.status}, not ${statuses.join('/')}, after ${timeoutMs} ms: ${why(state)}`);
    await sleep(250);
  }
}

/** Polls `probe` until it returns a value other than undefined. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Every reason recorded on the deployment and its targets, for assertion messages. */
export function why(state: DeploymentStateV1): string {
  return [state.reason, ...Object.values(state.targets).map((t) => t.reason)].filter(Boolean).join('; ');
}
