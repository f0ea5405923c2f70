import type { ClockV1 } from '../plugins/contracts.js';

/** Wall-clock time; timers are unref'd so an idle engine never keeps a process alive. */
export const systemClock: ClockV1 = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
