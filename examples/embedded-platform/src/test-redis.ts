/** The Redis tests use: a real server on loopback (override with FERRY_TEST_REDIS_URL). */
export const REDIS_URL = process.env.FERRY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
