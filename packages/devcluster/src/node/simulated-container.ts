import { type ContainerDriver } from './container-driver.js';
import { type ContainerSpec } from './kube-types.js';
import { simulatedBehaviour } from './simulated-behaviour.js';

/** A container that exists only as status: runs, and exits when its command says so. */
export class SimulatedContainer implements ContainerDriver {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly spec: ContainerSpec) {}

  async start(onExit: (exitCode: number) => void): Promise<void> {
    const behaviour = simulatedBehaviour(this.spec.command, this.spec.args);
    if (behaviour.runForMs !== undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        onExit(behaviour.exitCode);
      }, behaviour.runForMs);
    }
  }

  // Nothing listens, so every probe of a running simulated container passes.
  async probe(): Promise<boolean> {
    return true;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
