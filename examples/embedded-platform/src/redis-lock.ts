import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

// Deletes the lock only if this holder still owns it (a lock that outlived its expiry may
// already belong to someone else).
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * A mutex in Redis (SET NX PX with a random token), shared by every process that uses the
 * same key: the store's read-modify-writes run one at a time across all engine replicas.
 */
export function redisMutex(redis: Redis, key: string, options: { ttlMs?: number; acquireTimeoutMs?: number } = {}) {
  const ttlMs = options.ttlMs ?? 10_000;
  const acquireTimeoutMs = options.acquireTimeoutMs ?? 30_000;
  return async function withLock<T>(fn: () => Promise<T>): Promise<T> {
    const token = randomBytes(16).toString('hex');
    const deadline = Date.now() + acquireTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK') break;
      if (Date.now() > deadline) throw new Error(`could not take the Redis lock ${key} within ${acquireTimeoutMs} ms`);
      // Jittered, growing wait: contenders do not retry in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, 1 + attempt) * (0.5 + Math.random())));
    }
    try {
      return await fn();
    } finally {
      await redis.eval(RELEASE, 1, key, token);
    }
  };
}
