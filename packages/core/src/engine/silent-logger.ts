import type { LoggerV1 } from '../plugins/contracts.js';

/** A logger that drops everything: the default when none is given. */
export const silentLogger: LoggerV1 = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
