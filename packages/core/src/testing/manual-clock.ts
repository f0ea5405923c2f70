import type { ClockV1 } from '../plugins/contracts.js';

export interface ManualClock extends ClockV1 {
  /** Moves time forward, firing due timers in order (each sees `now()` at its due time). */
  advance(ms: number): void;
  /** Jumps to the earliest timer and fires it (and any due at the same time); false when none. */
  runNext(): boolean;
  /** When the earliest timer is due, if any. */
  nextAt(): number | undefined;
  pendingTimers(): number;
}

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/** A clock that only moves when told to, for deterministic tests of timers and leases. */
export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, Timer>();
  const earliest = (): Timer | undefined => {
    let best: Timer | undefined;
    for (const t of timers.values()) if (!best || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    return best;
  };
  const fireDue = (until: number): void => {
    for (let t = earliest(); t && t.at <= until; t = earliest()) {
      timers.delete(t.id);
      now = Math.max(now, t.at);
      t.fn();
    }
  };
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { id, at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const target = now + ms;
      fireDue(target);
      now = target;
    },
    runNext() {
      const t = earliest();
      if (!t) return false;
      fireDue(t.at);
      return true;
    },
    nextAt: () => earliest()?.at,
    pendingTimers: () => timers.size,
  };
}
