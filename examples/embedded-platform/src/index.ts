export { RedisStore, type RedisStoreOptions } from './redis-store.js';
export { redisMutex } from './redis-lock.js';
export { RedisChangeCalendar, type ReleaseEntry } from './change-calendar.js';
export { changeFreezeStep, changeFreezePlugin, type ChangeCalendarV1 } from './change-freeze-step.js';
export { createPlatform, type Platform, type PlatformOptions } from './platform.js';
