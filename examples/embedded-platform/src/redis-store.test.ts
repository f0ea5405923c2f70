import { randomBytes } from 'node:crypto';
import { describeStoreConformance } from '@ferry/store-sql/conformance';
import { RedisStore } from './redis-store.js';
import { REDIS_URL } from './test-redis.js';

/** The StoreV1 conformance suite every Ferry store passes, against a real Redis on loopback. */

describeStoreConformance('RedisStore', async () => {
  // A fresh key prefix per test; close() deletes its keys.
  const store = new RedisStore({ redis: REDIS_URL, keyPrefix: `ferry-test:${randomBytes(6).toString('hex')}:` });
  return Object.assign(store, { close: () => store.destroy() });
});
