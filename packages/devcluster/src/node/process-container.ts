import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { type ContainerDriver } from './container-driver.js';
import { freePort } from './free-port.js';
import { type Probe } from './kube-types.js';
import { probeLocal, tcpProbe } from './probe.js';

export interface ProcessContainerOptions {
  /** Script run with this Node.js binary (examples/sample-app/dist/server.js). */
  script: string;
  env: Record<string, string>;
  logFile: string;
}

/** A container backed by a real local Node.js process listening on a free 127.0.0.1 port. */
export class ProcessContainer implements ContainerDriver {
  localPort: number | undefined;
  private child: ChildProcess | undefined;
  private stopping = false;

  constructor(private readonly options: ProcessContainerOptions) {}

  async start(onExit: (exitCode: number) => void): Promise<void> {
    this.localPort = await freePort();
    const fd = openSync(this.options.logFile, 'a');
    try {
      // Same process group as the node agent, so stopping the node's group stops every pod too.
      // Small V8 heaps: hundreds of these run at once, and the sample app needs little memory.
      const child = spawn(process.execPath, ['--max-semi-space-size=1', '--max-old-space-size=64', this.options.script], {
        env: { ...this.options.env, PORT: String(this.localPort), HOST: '127.0.0.1' },
        stdio: ['ignore', fd, fd],
      });
      this.child = child;
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      child.once('exit', (code, signal) => {
        this.child = undefined;
        if (!this.stopping) onExit(code ?? (signal ? 128 + signalNumber(signal) : 1));
      });
    } finally {
      closeSync(fd);
    }
    // Hold the caller's start slot until the process listens, so a burst of pods boots a few
    // processes at a time instead of all of them fighting for the CPU at once.
    await this.waitListening(10_000);
  }

  probe(probe: Probe): Promise<boolean> {
    if (!this.child || this.localPort === undefined) return Promise.resolve(false);
    return probeLocal(probe, this.localPort);
  }

  /** Resolves once the process accepts connections, or false when it exited or `timeoutMs` passed. */
  async waitListening(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.child && this.localPort !== undefined && Date.now() < deadline) {
      if (await tcpProbe(this.localPort, 500)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGSEGV: 11, SIGABRT: 6 } as Record<string, number>)[signal] ?? 1;
}
