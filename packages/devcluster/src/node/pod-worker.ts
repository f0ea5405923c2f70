import { randomBytes } from 'node:crypto';
import { type ContainerDriver } from './container-driver.js';
import { clearSlotTimers, newSlot, type ContainerSlot } from './container-slot.js';
import { isStatus, type KubeHttp } from './kube-http.js';
import { kubeTime, podKey, podPath, type Pod, type Probe } from './kube-types.js';
import { podStatus } from './pod-status.js';
import { ProcessContainer } from './process-container.js';
import { imageNeverPulls } from './simulated-behaviour.js';

export interface PodWorkerDeps {
  http: KubeHttp;
  hostIP: string;
  podIP: string;
  /** Builds the driver for a container, or answers why its image cannot be pulled. */
  createDriver(pod: Pod, container: Pod['spec']['containers'][number]): ContainerDriver | { pullError: string };
  /** Bounds how many containers start at once across the node. */
  startLimiter: <T>(task: () => Promise<T>) => Promise<T>;
  /** Called whenever the pod's status or local ports changed. */
  changed(worker: PodWorker): void;
  /** Called once the pod is gone from the API and its containers are stopped. */
  finished(worker: PodWorker): void;
  log(msg: string, fields?: Record<string, unknown>): void;
  crashLoopBaseMs: number;
  crashLoopMaxMs: number;
  /** Upper bound on how long a deleted pod's processes get to exit. */
  maxTerminationGraceMs: number;
}

// A kubelet resets a container's back-off once it has run this long without crashing.
const BACKOFF_RESET_MS = 10 * 60_000;

/** Drives one pod bound to this node through the lifecycle a kubelet would give it. */
export class PodWorker {
  readonly key: string;
  readonly uid: string;
  readonly slots: ContainerSlot[];
  private readonly startTime = kubeTime();
  private readonly transitions = new Map<string, { status: string; at: string }>();
  private terminating = false;

  constructor(
    public pod: Pod,
    private readonly deps: PodWorkerDeps,
  ) {
    this.key = podKey(pod);
    this.uid = pod.metadata.uid ?? '';
    this.slots = pod.spec.containers.map(newSlot);
  }

  get podIP(): string {
    return this.deps.podIP;
  }

  get isTerminating(): boolean {
    return this.terminating;
  }

  status(): Record<string, unknown> {
    return podStatus({
      hostIP: this.deps.hostIP,
      podIP: this.deps.podIP,
      startTime: this.startTime,
      restartPolicy: this.pod.spec.restartPolicy ?? 'Always',
      slots: this.slots,
      transitions: this.transitions,
    });
  }

  start(): void {
    this.deps.changed(this);
    for (const slot of this.slots) void this.launch(slot);
  }

  update(pod: Pod): void {
    this.pod = pod;
    if (pod.metadata.deletionTimestamp && !this.terminating) void this.terminate(true);
  }

  /** Stops every container; with `deleteFromApi`, then removes the pod object (grace period 0). */
  async terminate(deleteFromApi: boolean): Promise<void> {
    if (this.terminating) return;
    this.terminating = true;
    const graceMs = Math.min((this.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000, this.deps.maxTerminationGraceMs);
    await Promise.all(
      this.slots.map(async (slot) => {
        clearSlotTimers(slot);
        slot.generation++;
        slot.ready = false;
        await slot.driver?.stop(graceMs).catch(() => undefined);
      }),
    );
    if (deleteFromApi) await this.deleteFromApi();
    this.deps.finished(this);
  }

  private async deleteFromApi(): Promise<void> {
    const { namespace = 'default', name } = this.pod.metadata;
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        await this.deps.http.delete(podPath(namespace, name), {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          gracePeriodSeconds: 0,
          preconditions: { uid: this.uid },
        });
        return;
      } catch (error) {
        if (isStatus(error, 404) || isStatus(error, 409)) return;
        this.deps.log('pod delete failed', { pod: this.key, attempt, error: String(error) });
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  }

  private async launch(slot: ContainerSlot): Promise<void> {
    if (this.terminating) return;
    const generation = ++slot.generation;
    const driver = this.deps.createDriver(this.pod, slot.spec);
    if ('pullError' in driver) {
      slot.state = { waiting: { reason: 'ErrImagePull', message: driver.pullError } };
      this.deps.changed(this);
      this.after(slot, 2_000, () => {
        slot.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${slot.spec.image}"` } };
        this.deps.changed(this);
      });
      return;
    }
    slot.driver = driver;
    try {
      await this.deps.startLimiter(() => driver.start((code) => this.exited(slot, generation, code)));
    } catch (error) {
      this.deps.log('container failed to start', { pod: this.key, container: slot.spec.name, error: String(error) });
      this.exited(slot, generation, 128);
      return;
    }
    if (this.terminating || generation !== slot.generation) {
      await driver.stop(0);
      return;
    }
    const startedAt = kubeTime();
    slot.containerID = `ferry://${randomBytes(16).toString('hex')}`;
    slot.startedAt = startedAt;
    slot.state = { running: { startedAt } };
    slot.started = true;
    slot.readiness = { successes: 0, failures: 0 };
    slot.livenessFailures = 0;
    slot.ready = !slot.spec.readinessProbe;
    this.deps.changed(this);
    if (slot.spec.readinessProbe) void this.scheduleProbes(slot, generation, slot.spec.readinessProbe, 'readiness');
    if (slot.spec.livenessProbe) void this.scheduleProbes(slot, generation, slot.spec.livenessProbe, 'liveness');
    if (driver.localPort !== undefined) this.deps.changed(this);
  }

  private async scheduleProbes(slot: ContainerSlot, generation: number, probe: Probe, kind: 'readiness' | 'liveness'): Promise<void> {
    // A real process needs a moment to bind its port; probing before that would only add a
    // needless failure and delay readiness by a whole period.
    if (slot.driver instanceof ProcessContainer) await slot.driver.waitListening(10_000);
    const periodMs = (probe.periodSeconds ?? 10) * 1000;
    const run = async () => {
      if (generation !== slot.generation || this.terminating || !slot.driver) return;
      const ok = await slot.driver.probe(probe);
      if (generation !== slot.generation || this.terminating) return;
      if (kind === 'readiness') this.readinessResult(slot, probe, ok);
      else this.livenessResult(slot, probe, ok);
      if (generation === slot.generation) this.after(slot, periodMs, run);
    };
    this.after(slot, (probe.initialDelaySeconds ?? 0) * 1000, run);
  }

  private readinessResult(slot: ContainerSlot, probe: Probe, ok: boolean): void {
    if (ok) {
      slot.readiness.failures = 0;
      slot.readiness.successes++;
      if (!slot.ready && slot.readiness.successes >= (probe.successThreshold ?? 1)) {
        slot.ready = true;
        this.deps.changed(this);
      }
    } else {
      slot.readiness.successes = 0;
      slot.readiness.failures++;
      if (slot.ready && slot.readiness.failures >= (probe.failureThreshold ?? 3)) {
        slot.ready = false;
        this.deps.changed(this);
      }
    }
  }

  private livenessResult(slot: ContainerSlot, probe: Probe, ok: boolean): void {
    slot.livenessFailures = ok ? 0 : slot.livenessFailures + 1;
    if (slot.livenessFailures < (probe.failureThreshold ?? 3)) return;
    this.deps.log('liveness probe failed, restarting container', { pod: this.key, container: slot.spec.name });
    const driver = slot.driver;
    slot.generation++;
    const generation = slot.generation;
    void driver?.stop(2_000).then(() => this.exited(slot, generation, 137));
  }

  private exited(slot: ContainerSlot, generation: number, exitCode: number): void {
    if (generation !== slot.generation || this.terminating) return;
    clearSlotTimers(slot);
    slot.generation++;
    const finishedAt = kubeTime();
    const terminated = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        ...(slot.startedAt ? { startedAt: slot.startedAt } : {}),
        finishedAt,
        ...(slot.containerID ? { containerID: slot.containerID } : {}),
      },
    };
    slot.ready = false;
    slot.driver = undefined;
    const policy = this.pod.spec.restartPolicy ?? 'Always';
    const restart = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
    if (!restart) {
      slot.state = terminated;
      this.deps.changed(this);
      return;
    }
    slot.lastState = terminated;
    const ranMs = slot.startedAt ? Date.now() - Date.parse(slot.startedAt) : 0;
    if (ranMs >= BACKOFF_RESET_MS) slot.backoffMs = 0;
    // Like the kubelet: the first restart is immediate, later ones back off 10 s, 20 s, … 5 min.
    const delay = slot.backoffMs;
    slot.backoffMs = delay === 0 ? this.deps.crashLoopBaseMs : Math.min(delay * 2, this.deps.crashLoopMaxMs);
    slot.state =
      delay === 0
        ? terminated
        : { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${slot.spec.name} pod=${this.pod.metadata.name}` } };
    this.deps.changed(this);
    this.after(slot, delay, () => {
      slot.restartCount++;
      void this.launch(slot);
    });
  }

  private after(slot: ContainerSlot, ms: number, fn: () => void | Promise<void>): void {
    const timer = setTimeout(() => {
      slot.timers.delete(timer);
      void fn();
    }, ms);
    slot.timers.add(timer);
  }

  /** containerPort → local port for every container backed by a real process. */
  localPorts(): Record<string, number> {
    const ports: Record<string, number> = {};
    for (const slot of this.slots) {
      const local = slot.driver?.localPort;
      if (local === undefined || !('running' in slot.state)) continue;
      for (const port of slot.spec.ports ?? []) ports[String(port.containerPort)] = local;
      if (!slot.spec.ports?.length) ports['8080'] = local;
    }
    return ports;
  }

  ready(): boolean {
    return this.slots.length > 0 && this.slots.every((slot) => slot.ready);
  }
}

export function neverPullsError(image: string): { pullError: string } | undefined {
  return imageNeverPulls(image) ? { pullError: `rpc error: manifest for ${image} not found` } : undefined;
}
