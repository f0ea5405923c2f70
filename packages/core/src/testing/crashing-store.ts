import type { StoreV1 } from '../store/contracts.js';

export interface CrashingStore {
  store: StoreV1;
  /** Resolves when the store "crashes". */
  crashed: Promise<void>;
  isCrashed(): boolean;
  /** How many transitions (create/update) were committed. */
  commits(): number;
}

const never = new Promise<never>(() => {});

/**
 * Wraps a store so that the engine using it is "dropped" right after its `afterCommits`-th
 * committed transition (`create`/`update`): that write lands and its caller carries on
 * (running steps, calling clusters) until it tries the next transition, which never happens:
 * from then on every call hangs forever, as if the process died between two writes. The
 * wrapped store keeps everything committed until then.
 */
export function crashAfter(inner: StoreV1, afterCommits: number): CrashingStore {
  let commits = 0;
  let crashed = false;
  let markCrashed!: () => void;
  const crashedPromise = new Promise<void>((resolve) => (markCrashed = resolve));
  const guard = <A extends unknown[], R>(call: (...args: A) => Promise<R>, isTransition: boolean) =>
    (async (...args: A): Promise<R> => {
      if (crashed) return never;
      if (isTransition && commits >= afterCommits) {
        crashed = true;
        markCrashed();
        return never;
      }
      const result = await call(...args);
      if (crashed) return never;
      if (isTransition) commits += 1;
      return result;
    });
  const store: StoreV1 = {
    specificationVersion: 'v1',
    create: guard(inner.create.bind(inner), true),
    get: guard(inner.get.bind(inner), false),
    list: guard(inner.list.bind(inner), false),
    update: guard(inner.update.bind(inner), true),
    appendEvent: guard(inner.appendEvent.bind(inner), false),
    listEvents: guard(inner.listEvents.bind(inner), false),
    claimLease: guard(inner.claimLease.bind(inner), false),
    renewLease: guard(inner.renewLease.bind(inner), false),
    releaseLease: guard(inner.releaseLease.bind(inner), false),
    listClaimable: guard(inner.listClaimable.bind(inner), false),
    listDue: guard(inner.listDue.bind(inner), false),
  };
  return { store, crashed: crashedPromise, isCrashed: () => crashed, commits: () => commits };
}
