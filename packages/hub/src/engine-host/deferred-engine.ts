import { FerryUnavailableError, type FerryEngine } from '@ferry/core';

/**
 * A FerryEngine that forwards to the real one once it exists. The routes are registered
 * before the server listens, and the engine needs the URL the server got (webhook
 * callbacks), so routes hold this stand-in; calls before the engine exists answer 503.
 */
export function deferredEngine(): { engine: FerryEngine; set(real: FerryEngine): void; get(): FerryEngine | undefined } {
  let real: FerryEngine | undefined;
  const current = (): FerryEngine => {
    if (!real) throw new FerryUnavailableError('the hub is starting: its engine is not running yet', { code: 'engine_starting' });
    return real;
  };
  const engine: FerryEngine = {
    get owner() {
      return current().owner;
    },
    get events() {
      return current().events;
    },
    start: (file, options) => current().start(file, options),
    get: (id) => current().get(id),
    list: (filter) => current().list(filter),
    listEvents: (id, options) => current().listEvents(id, options),
    approve: (id, input) => current().approve(id, input),
    reject: (id, input) => current().reject(id, input),
    skip: (id, input) => current().skip(id, input),
    rollback: (id, input) => current().rollback(id, input),
    rollForward: (id, input) => current().rollForward(id, input),
    cancel: (id, input) => current().cancel(id, input),
    redeploy: (id, input) => current().redeploy(id, input),
    callback: (id, input) => current().callback(id, input),
    idle: () => current().idle(),
    close: () => current().close(),
  };
  return {
    engine,
    set: (value) => {
      real = value;
    },
    get: () => real,
  };
}
