import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A process this package started. `startTime` (clock ticks since boot, from /proc/<pid>/stat)
 * guards against PID reuse: a recorded PID whose start time differs is someone else's process.
 */
export interface ProcessRecord {
  pid: number;
  startTime: number;
  command: string;
  logFile: string;
}

export interface SpawnDetachedOptions {
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Reads field 22 (starttime) of /proc/<pid>/stat, or undefined when the process is gone or a zombie. */
export function processStartTime(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : undefined;
}

export function isRunning(record: Pick<ProcessRecord, 'pid' | 'startTime'>): boolean {
  return processStartTime(record.pid) === record.startTime;
}

/**
 * Starts a long-lived process in its own session and process group (so it outlives the caller,
 * e.g. the CLI, and can be stopped as a group), with stdout and stderr appended to `logFile`.
 */
export async function spawnDetached(options: SpawnDetachedOptions): Promise<ProcessRecord> {
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(options.command, options.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', (error) =>
        reject(new Error(`could not start ${options.command}: ${error.message} (log: ${options.logFile})`, { cause: error })),
      );
      child.once('spawn', () => resolve(child.pid as number));
    });
    child.unref();
    const startTime = processStartTime(pid);
    if (startTime === undefined) {
      throw new Error(`${options.command} exited immediately after starting; see ${options.logFile}`);
    }
    return { pid, startTime, command: options.command, logFile: options.logFile };
  } finally {
    closeSync(fd);
  }
}

/** Members of process group `pgid` still alive (zombies excluded), found through /proc. */
export function processGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && fields[0] !== 'X' && Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // The process ended while we were looking.
    }
  }
  return members;
}

/**
 * Stops a process we started and everything in its process group: SIGTERM, then SIGKILL after
 * `graceMs`. Does nothing when the recorded PID now belongs to another process.
 */
export async function stopProcessGroup(record: Pick<ProcessRecord, 'pid' | 'startTime'>, graceMs = 10_000): Promise<void> {
  const current = processStartTime(record.pid);
  // Linux never hands out a PID still used as a process-group ID, so a live PID with another
  // start time means our whole group is gone and the PID now belongs to someone else.
  if (current !== undefined && current !== record.startTime) return;
  const groupAlive = () => isRunning(record) || processGroupMembers(record.pid).length > 0;
  if (!groupAlive()) return;
  signalGroup(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive() && Date.now() < deadline) await sleep(100);
  if (groupAlive()) {
    signalGroup(record.pid, 'SIGKILL');
    const killDeadline = Date.now() + 5_000;
    while (groupAlive() && Date.now() < killDeadline) await sleep(50);
    if (groupAlive()) throw new Error(`process group ${record.pid} survived SIGKILL`);
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    // Not a group leader (e.g. a workload spawned without `detached`): signal the process itself.
    try {
      process.kill(pgid, signal);
    } catch (inner) {
      if ((inner as NodeJS.ErrnoException).code !== 'ESRCH') throw inner;
    }
  }
}
