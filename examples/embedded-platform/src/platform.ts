import { createEngine, type FerryEngine, type FerryPluginV1 } from '@ferry/core';
import { kubernetes } from '@ferry/integrations/kubernetes';
import { blueGreen, canary, thresholdJudgePlugin } from '@ferry/strategies';
import { RedisChangeCalendar } from './change-calendar.js';
import { changeFreezePlugin } from './change-freeze-step.js';
import { RedisStore } from './redis-store.js';

export interface PlatformOptions {
  /** The platform's Redis, e.g. `redis://127.0.0.1:6379/0`: deployments and the change calendar live there. */
  redisUrl: string;
  /** Key prefix of everything this platform keeps in Redis. Default `platform:`. */
  keyPrefix?: string;
  /** Kube contexts are the deployment files' accounts. */
  kubeconfigPath?: string;
  /** Lease owner name of this replica (a restart under the same name resumes at once). */
  replicaName?: string;
  /** How often a frozen `changeFreeze` step looks again. */
  recheckMs?: number;
  /** How often the engine scans the store and renews leases. */
  pollIntervalMs?: number;
  plugins?: FerryPluginV1[];
}

export interface Platform {
  engine: FerryEngine;
  store: RedisStore;
  calendar: RedisChangeCalendar;
  close(): Promise<void>;
}

/**
 * An internal developer platform embedding Ferry: deployments persist in the platform's own
 * Redis (RedisStore), and its change calendar gates them through a step kind of its own
 * (`changeFreeze`). Several replicas may share the Redis: leases decide who runs what.
 */
export function createPlatform(options: PlatformOptions): Platform {
  const prefix = options.keyPrefix ?? 'platform:';
  const store = new RedisStore({ redis: options.redisUrl, keyPrefix: `${prefix}ferry:` });
  const calendar = new RedisChangeCalendar({ redis: options.redisUrl, keyPrefix: `${prefix}calendar:` });
  const polling = options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {};
  const engine = createEngine({
    store,
    ...polling,
    ...(options.replicaName ? { owner: options.replicaName } : {}),
    plugins: [
      canary(polling),
      blueGreen(polling),
      thresholdJudgePlugin(),
      kubernetes(options.kubeconfigPath ? { kubeconfigPath: options.kubeconfigPath } : {}),
      changeFreezePlugin({ calendar, ...(options.recheckMs ? { recheckMs: options.recheckMs } : {}) }),
      ...(options.plugins ?? []),
    ],
  });
  return {
    engine,
    store,
    calendar,
    async close() {
      await engine.close();
      await store.close();
      await calendar.close();
    },
  };
}
