import { type Probe } from './kube-types.js';

/** What the pod worker needs from a container, whether a real local process or a simulated one. */
export interface ContainerDriver {
  /** The 127.0.0.1 port a real process serves on; undefined for simulated containers. */
  readonly localPort?: number;
  /** Starts the container; rejects when it cannot start. `onExit` fires once when it ends by itself. */
  start(onExit: (exitCode: number) => void): Promise<void>;
  /** Runs one probe attempt; true when it passes. */
  probe(probe: Probe): Promise<boolean>;
  /** Stops the container (SIGTERM, then SIGKILL after `graceMs`); `onExit` is not called. */
  stop(graceMs: number): Promise<void>;
}
