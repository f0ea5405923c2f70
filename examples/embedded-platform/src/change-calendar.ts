import { Redis } from 'ioredis';

export interface ReleaseEntry {
  deploymentId: string;
  application: string;
  target: string;
  calendar: string;
  at: number;
}

/**
 * The platform's change calendar, kept in its Redis: a freeze per calendar (`prod`,
 * `payments`...) and a log of releases that passed the check. Ferry knows nothing of it; the
 * `changeFreeze` step kind (change-freeze-step.ts) is how deployments consult it.
 */
export class RedisChangeCalendar {
  private readonly redis: Redis;

  constructor(options: { redis: string; keyPrefix?: string }, private readonly prefix = options.keyPrefix ?? 'platform:') {
    this.redis = new Redis(options.redis);
  }

  async freeze(calendar: string, reason: string): Promise<void> {
    await this.redis.hset(`${this.prefix}freezes`, calendar, reason);
  }

  async lift(calendar: string): Promise<void> {
    await this.redis.hdel(`${this.prefix}freezes`, calendar);
  }

  /** The freeze's reason, or null when the calendar is open. */
  async frozen(calendar: string): Promise<string | null> {
    return this.redis.hget(`${this.prefix}freezes`, calendar);
  }

  /** Idempotent: one entry per deployment and target, however often the step runs. */
  async recordRelease(entry: ReleaseEntry): Promise<void> {
    await this.redis.hsetnx(`${this.prefix}releases`, `${entry.deploymentId}/${entry.target}`, JSON.stringify(entry));
  }

  async releases(): Promise<ReleaseEntry[]> {
    const values = await this.redis.hvals(`${this.prefix}releases`);
    return values.map((v) => JSON.parse(v) as ReleaseEntry).sort((a, b) => a.at - b.at);
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  /** Deletes the calendar's keys, then closes (tests). */
  async destroy(): Promise<void> {
    await this.redis.del(`${this.prefix}freezes`, `${this.prefix}releases`);
    await this.close();
  }
}
