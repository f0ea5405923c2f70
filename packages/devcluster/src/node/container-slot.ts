import { type ContainerDriver } from './container-driver.js';
import { type ContainerSpec } from './kube-types.js';

export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: { exitCode: number; reason: string; startedAt?: string; finishedAt: string; containerID?: string } };

/** Everything the node tracks about one container of a pod across restarts. */
export interface ContainerSlot {
  spec: ContainerSpec;
  containerID?: string;
  driver?: ContainerDriver;
  state: ContainerState;
  lastState?: ContainerState;
  restartCount: number;
  ready: boolean;
  started: boolean;
  startedAt?: string;
  /** Next CrashLoopBackOff delay; 0 until the first restart. */
  backoffMs: number;
  timers: Set<NodeJS.Timeout>;
  readiness: { successes: number; failures: number };
  livenessFailures: number;
  /** Bumped on every (re)start so stale probe results and timers of an earlier run are ignored. */
  generation: number;
}

export function newSlot(spec: ContainerSpec): ContainerSlot {
  return {
    spec,
    state: { waiting: { reason: 'ContainerCreating' } },
    restartCount: 0,
    ready: false,
    started: false,
    backoffMs: 0,
    timers: new Set(),
    readiness: { successes: 0, failures: 0 },
    livenessFailures: 0,
    generation: 0,
  };
}

export function clearSlotTimers(slot: ContainerSlot): void {
  for (const timer of slot.timers) clearTimeout(timer);
  slot.timers.clear();
}
