import type { DeploymentView, EventView, PodsByVersion } from '../backend/types.js';
import { eventLine } from './event-line.js';
import { renderFrame } from './frame.js';
import { applyEvent, initialLiveState, type LiveState } from './model.js';
import { blockerOf, type CommandPrefix } from './unblock.js';

export interface LiveViewOptions {
  write: (text: string) => void;
  /** Redraw in place with spinners (a terminal), or print one line per event. */
  tty: boolean;
  color: boolean;
  /** Redraw period on a terminal (default 100 ms). */
  frameMs?: number;
  prefix?: CommandPrefix;
  now?: () => number;
}

/**
 * Shows a deployment as it runs. On a terminal it redraws one frame (targets, current step,
 * weight, pods per version, analysis values against their limits, what it waits for and
 * the command that unblocks it) with spinners; elsewhere it prints a line per event and
 * each new blocker once. Feed it status payloads and events; `finish()` prints the last frame.
 */
export class LiveView {
  private state: LiveState | undefined;
  private tick = 0;
  private drawnLines = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly printedBlockers = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: LiveViewOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A fresh status payload. */
  update(view: DeploymentView): void {
    this.state = this.state ? { ...this.state, view } : initialLiveState(view);
    if (this.options.tty) {
      this.startTimer();
      this.draw();
    } else this.printBlockers();
  }

  event(event: EventView): void {
    if (!this.state) return;
    this.state = applyEvent(this.state, event);
    if (this.options.tty) this.draw();
    else {
      const line = eventLine(event, this.state.view, this.options.color);
      if (line) this.options.write(`${line}\n`);
    }
  }

  pods(environment: string, pods: PodsByVersion[]): void {
    if (!this.state) return;
    this.state = { ...this.state, pods: { ...this.state.pods, [environment]: pods } };
  }

  /** Stops redrawing; on a terminal leaves the final frame on screen. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.options.tty) this.draw();
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.tick++;
      this.draw();
    }, this.options.frameMs ?? 100);
    this.timer.unref();
  }

  private draw(): void {
    if (!this.state) return;
    const lines = renderFrame(this.state, { color: this.options.color, tick: this.tick, now: this.now(), ...(this.options.prefix ? { prefix: this.options.prefix } : {}) });
    // Move to the top of the last frame and clear it, then draw the new one.
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F\x1b[0J` : '';
    this.options.write(`${up}${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }

  private printBlockers(): void {
    if (!this.state) return;
    const { view } = this.state;
    for (const environment of view.environments) {
      const blocker = blockerOf(view, environment, this.now(), this.options.prefix);
      if (!blocker || blocker.waitingFor.startsWith('a pause,')) continue;
      const key = `${environment.name}|${blocker.waitingFor}`;
      if (this.printedBlockers.has(key)) continue;
      this.printedBlockers.add(key);
      this.options.write(`${environment.name}: waiting for ${blocker.waitingFor}; run: ${blocker.commands.join('  or  ')}\n`);
    }
  }
}
