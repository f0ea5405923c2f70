/**
 * Conventions for containers the node does not run as real processes (any image other than
 * `ferry/sample-app:*`). The container's `command` and `args` are joined into one line and read as:
 *
 *   - `exit N`             exits with code N right after starting (N=0 "completes")
 *   - `sleep S`            runs S seconds, then exits 0 (`sleep infinity` runs forever)
 *   - `sleep S; exit N`    runs S seconds, then exits with code N (also `sleep S && exit N`)
 *   - anything else        runs until the pod is deleted, ready as soon as it starts
 *
 * So `command: ["sh", "-c", "sleep 5; exit 1"]` crash-loops the way a real shell would.
 * Images tagged `:missing` or `:does-not-exist` never pull (ErrImagePull, then ImagePullBackOff).
 */
export interface SimulatedBehaviour {
  /** Milliseconds the container runs before exiting; undefined = until stopped. */
  runForMs?: number;
  exitCode: number;
}

/** How long a container that "exits immediately" still runs, so its start is observable. */
export const IMMEDIATE_EXIT_MS = 100;

export function simulatedBehaviour(command: string[] | undefined, args: string[] | undefined): SimulatedBehaviour {
  const line = [...(command ?? []), ...(args ?? [])].join(' ');
  const sleep = /\bsleep\s+(infinity|\d+(?:\.\d+)?)/.exec(line);
  const exit = /\bexit\s+(\d+)/.exec(line);
  const exitCode = exit ? Number(exit[1]) : 0;
  if (sleep && sleep[1] !== 'infinity') return { runForMs: Math.round(Number(sleep[1]) * 1000), exitCode };
  if (sleep) return { exitCode };
  if (exit) return { runForMs: IMMEDIATE_EXIT_MS, exitCode };
  return { exitCode: 0 };
}

export function imageNeverPulls(image: string): boolean {
  return /:(missing|does-not-exist)$/.test(image);
}
