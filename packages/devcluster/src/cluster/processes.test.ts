import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning, processGroupMembers, processStartTime, spawnDetached, stopProcessGroup } from './processes.js';

describe('detached processes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-proc-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts a process in its own group, logs to the file, and stops the whole group', async () => {
    const logFile = join(dir, 'group.log');
    // The shell leader forks a grandchild in the same group: both must go.
    const record = await spawnDetached({ command: 'sh', args: ['-c', 'echo started; sleep 300 & wait'], logFile });
    expect(isRunning(record)).toBe(true);
    await expect.poll(() => processGroupMembers(record.pid).length, { timeout: 5_000 }).toBe(2);
    await expect.poll(async () => readFile(logFile, 'utf8'), { timeout: 5_000 }).toContain('started');

    await stopProcessGroup(record, 5_000);
    expect(isRunning(record)).toBe(false);
    expect(processGroupMembers(record.pid)).toEqual([]);
  });

  it('escalates to SIGKILL when the group ignores SIGTERM', async () => {
    const record = await spawnDetached({ command: 'sh', args: ['-c', "trap '' TERM; while :; do sleep 1; done"], logFile: join(dir, 'stubborn.log') });
    await sleep(200);
    const started = Date.now();
    await stopProcessGroup(record, 500);
    expect(isRunning(record)).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('leaves a process alone when its PID has a different start time (PID reuse)', async () => {
    const record = await spawnDetached({ command: 'sleep', args: ['300'], logFile: join(dir, 'reuse.log') });
    try {
      await stopProcessGroup({ pid: record.pid, startTime: record.startTime + 1 }, 500);
      expect(isRunning(record)).toBe(true);
    } finally {
      await stopProcessGroup(record, 2_000);
    }
  });

  it('reports a missing command clearly', async () => {
    await expect(spawnDetached({ command: join(dir, 'no-such-binary'), args: [], logFile: join(dir, 'missing.log') })).rejects.toThrow(
      /could not start .*no-such-binary/,
    );
  });

  it('reads start times only for live processes', () => {
    expect(processStartTime(process.pid)).toBeGreaterThan(0);
    expect(processStartTime(2 ** 22 + 1)).toBeUndefined();
  });
});
