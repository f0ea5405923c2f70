import type { EngineEventV1, FerryEngine } from '@ferry/core';

export interface EventFanoutOptions {
  /** How often each watched deployment's log is read from the store (events written by other hub replicas). Default 1000 ms. */
  pollIntervalMs?: number;
  /** Page size of those reads. Default 500. */
  pageSize?: number;
}

/** Receives a deployment's events in `seq` order, without gaps or repeats after the join point. */
export interface EventWatcher {
  deliver(event: EngineEventV1): void;
}

/**
 * One shared feed per watched deployment, whatever the number of watchers: the engine's
 * in-process emitter gives this replica's events at once, and a single poller per
 * deployment reads the store for events other replicas wrote. 1,000 watchers of one
 * deployment cost one store query per tick, not 1,000.
 */
export class EventFanout {
  private readonly channels = new Map<string, DeploymentChannel>();
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private readonly onEngineEvent = (event: EngineEventV1) => this.channels.get(event.deploymentId)?.offer(event);
  private listening = false;

  constructor(
    private readonly engine: Pick<FerryEngine, 'events' | 'listEvents'>,
    options: EventFanoutOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.pageSize = options.pageSize ?? 500;
  }

  /**
   * Adds a watcher of a deployment. `seenSeq` is what the watcher already has (it replays
   * from the store itself); the channel starts there when it is new. Answers the leave function.
   */
  join(deploymentId: string, watcher: EventWatcher, seenSeq: number): () => void {
    if (!this.listening) {
      this.engine.events.on('*', this.onEngineEvent);
      this.listening = true;
    }
    let channel = this.channels.get(deploymentId);
    if (!channel) {
      channel = new DeploymentChannel(deploymentId, seenSeq, this.engine, this.pollIntervalMs, this.pageSize);
      this.channels.set(deploymentId, channel);
    }
    const joined = channel;
    joined.add(watcher);
    return () => {
      if (joined.remove(watcher) === 0) {
        joined.stop();
        if (this.channels.get(deploymentId) === joined) this.channels.delete(deploymentId);
      }
    };
  }

  /** Deployments with at least one watcher (for tests and metrics). */
  get watchedDeployments(): number {
    return this.channels.size;
  }

  close(): void {
    for (const channel of this.channels.values()) channel.stop();
    this.channels.clear();
    if (this.listening) this.engine.events.off('*', this.onEngineEvent);
    this.listening = false;
  }
}

class DeploymentChannel {
  private readonly watchers = new Set<EventWatcher>();
  private readonly timer: NodeJS.Timeout;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private stopped = false;

  constructor(
    private readonly deploymentId: string,
    private lastSeq: number,
    private readonly engine: Pick<FerryEngine, 'listEvents'>,
    pollIntervalMs: number,
    private readonly pageSize: number,
  ) {
    this.timer = setInterval(() => this.poll(), pollIntervalMs);
    this.timer.unref();
  }

  add(watcher: EventWatcher): void {
    this.watchers.add(watcher);
  }

  remove(watcher: EventWatcher): number {
    this.watchers.delete(watcher);
    return this.watchers.size;
  }

  /** An event from the emitter: the next one is delivered at once; a gap means the store has more. */
  offer(event: EngineEventV1): void {
    if (event.seq === this.lastSeq + 1) this.publish(event);
    else if (event.seq > this.lastSeq + 1) this.poll();
  }

  /** Reads everything after lastSeq from the store; concurrent calls coalesce into one more read. */
  poll(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.readNewEvents()
      .catch(() => undefined) // a failed read is retried at the next tick
      .finally(() => {
        this.polling = undefined;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.poll();
        }
      });
  }

  private async readNewEvents(): Promise<void> {
    for (;;) {
      const before = this.lastSeq;
      const page = await this.engine.listEvents(this.deploymentId, { afterSeq: this.lastSeq, limit: this.pageSize });
      for (const event of page) if (event.seq === this.lastSeq + 1) this.publish(event);
      if (page.length < this.pageSize || this.stopped || this.lastSeq === before) return;
    }
  }

  private publish(event: EngineEventV1): void {
    this.lastSeq = event.seq;
    for (const watcher of this.watchers) watcher.deliver(event);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }
}
