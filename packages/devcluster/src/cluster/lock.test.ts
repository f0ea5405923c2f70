import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLock } from './lock.js';

describe('withLock', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-lock-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs holders of the same lock one after the other and releases it', async () => {
    const file = join(dir, 'serial.lock');
    const events: string[] = [];
    const holder = (id: string) =>
      withLock(file, 5_000, async () => {
        events.push(`${id}:in`);
        await sleep(100);
        events.push(`${id}:out`);
      });
    await Promise.all([holder('a'), holder('b')]);
    expect([events.slice(0, 2), events.slice(2)].every(([i, o]) => i!.split(':')[0] === o!.split(':')[0])).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('takes over a lock left by a dead process', async () => {
    const file = join(dir, 'stale.lock');
    await writeFile(file, String(2 ** 22 + 1));
    await expect(withLock(file, 1_000, async () => 'got it')).resolves.toBe('got it');
  });

  it('gives up with a message naming the holder when a live process keeps it', async () => {
    const file = join(dir, 'held.lock');
    await writeFile(file, '1');
    await expect(withLock(file, 300, async () => 'never')).rejects.toThrow(/held by process 1/);
    await rm(file);
  });

  it('releases the lock when the action throws', async () => {
    const file = join(dir, 'throws.lock');
    await expect(withLock(file, 1_000, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(file)).toBe(false);
  });
});
