import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { clusterDir, clusterLayout, type ClusterLayout } from '../paths.js';
import { withLock } from './lock.js';
import { stopProcessGroup } from './processes.js';
import { COMPONENTS, readState } from './state.js';
import { stopRecordedWorkloads, stopWorkloadsFromPidFiles } from './workloads.js';

export interface StopClusterOptions {
  name?: string;
  dataDir?: string;
}

/**
 * Stops every process of the named cluster (workloads, then controller-manager, API server and
 * etcd, each with its process group) and deletes the cluster's directory. Safe to call for a
 * cluster that is not running; answers whether there was anything to stop.
 */
export async function stopCluster(options: StopClusterOptions = {}): Promise<boolean> {
  const layout = clusterLayout(clusterDir(options.name ?? 'default', options.dataDir));
  if (!existsSync(layout.dir)) return false;
  await withLock(layout.lockFile, 10 * 60_000, () => stopClusterUnlocked(layout));
  return true;
}

/** Stop without taking the lock (the caller holds it). `keepFiles` leaves logs for a failed start. */
export async function stopClusterUnlocked(layout: ClusterLayout, options: { keepFiles?: boolean } = {}): Promise<void> {
  const state = await readState(layout.stateFile).catch(() => undefined);
  const failures: string[] = [];
  // Workloads first: they talk to the API server and should not see it vanish under them.
  try {
    if (state) await stopRecordedWorkloads(state.workloads);
    await stopWorkloadsFromPidFiles(layout);
  } catch (error) {
    failures.push(`workloads: ${(error as Error).message}`);
  }
  for (const component of [...COMPONENTS].reverse()) {
    const record = state?.processes[component];
    if (!record) continue;
    try {
      await stopProcessGroup(record);
    } catch (error) {
      failures.push(`${component} (pid ${record.pid}): ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`could not stop dev cluster in ${layout.dir}: ${failures.join('; ')}`);
  if (!options.keepFiles) await rm(layout.dir, { recursive: true, force: true });
}
