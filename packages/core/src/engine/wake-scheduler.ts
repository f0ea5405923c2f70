import { inject, injectable } from 'tsyringe';
import { TOKENS } from '../di/tokens.js';
import type { ClockV1 } from '../plugins/contracts.js';

/**
 * Due times of the deployments this engine runs, behind ONE clock timer armed for the
 * earliest: thousands of paused deployments cost a map entry each, not a timer each.
 */
@injectable()
export class WakeScheduler {
  private readonly due = new Map<string, number>();
  private handle: unknown;
  private armedAt = Number.POSITIVE_INFINITY;
  private onWake: (id: string) => void = () => {};

  constructor(@inject(TOKENS.Clock) private readonly clock: ClockV1) {}

  listen(onWake: (id: string) => void): void {
    this.onWake = onWake;
  }

  set(id: string, at: number): void {
    this.due.set(id, at);
    if (at < this.armedAt) this.arm(at);
  }

  delete(id: string): void {
    this.due.delete(id);
  }

  clear(): void {
    this.due.clear();
    this.disarm();
  }

  private arm(at: number): void {
    this.disarm();
    this.armedAt = at;
    this.handle = this.clock.setTimeout(() => this.fire(), Math.max(0, at - this.clock.now()));
  }

  private disarm(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  private fire(): void {
    this.handle = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    let next = Number.POSITIVE_INFINITY;
    const woken: string[] = [];
    for (const [id, at] of this.due) {
      if (at <= now) woken.push(id);
      else if (at < next) next = at;
    }
    for (const id of woken) this.due.delete(id);
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
    for (const id of woken) this.onWake(id);
  }
}
