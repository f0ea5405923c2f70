import { randomUUID } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A per-cluster lock file holding our PID, so two processes never start or stop the same named
 * cluster at once. It is created complete (hard link of a written temp file, which fails if the
 * lock exists), and a lock whose holder is dead is taken over.
 */
export async function withLock<T>(file: string, timeoutMs: number, action: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const temp = `${file}.${process.pid}.${randomUUID()}`;
  await writeFile(temp, String(process.pid));
  for (;;) {
    try {
      await link(temp, file);
      await rm(temp, { force: true });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (!holderAlive(holder)) {
        await rm(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        await rm(temp, { force: true });
        throw new Error(`dev-cluster lock ${file} is held by process ${holder}; waited ${Math.round(timeoutMs / 1000)}s`, { cause: error });
      }
      await sleep(200);
    }
  }
  try {
    return await action();
  } finally {
    await rm(file, { force: true });
  }
}

function holderAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
