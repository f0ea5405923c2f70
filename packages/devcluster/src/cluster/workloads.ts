/**
 * The one place where a dev cluster starts what runs on top of its control plane: the
 * simulated kubelet node and Prometheus, both written by the node engineer under src/node and
 * src/prometheus. Both are given the cluster's own directory as `stateDir` (they keep their
 * files in its node/ and prometheus/ subdirectories) and log into the cluster's logs/ directory.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startNode } from '../node/index.js';
import { startPrometheus } from '../prometheus/index.js';
import type { ClusterLayout } from '../paths.js';
import { processStartTime, stopProcessGroup, type ProcessRecord } from './processes.js';

export interface WorkloadOptions {
  /** Start the simulated node, so pods get "run" and become ready (default true). */
  node?: boolean;
  /** Start Prometheus scraping the node's pods (default true). */
  prometheus?: boolean;
}

/** What the cluster's state file keeps about each workload, so a later `stop` in another process can end it. */
export interface WorkloadRecords {
  node?: { stateDir: string; logFile: string; process?: ProcessRecord };
  prometheus?: { stateDir: string; logFile: string; url: string; process?: ProcessRecord };
}

export interface RunningWorkloads {
  prometheusUrl?: string;
  record: WorkloadRecords;
  stop(): Promise<void>;
}

/** The child process a workload handle exposes, if it does (startNode returns `process`). */
function processOf(handle: object): ProcessRecord | undefined {
  const candidate = (handle as { process?: Partial<ProcessRecord> }).process;
  return typeof candidate?.pid === 'number' && typeof candidate.startTime === 'number' ? (candidate as ProcessRecord) : undefined;
}

export async function startWorkloads(clusterName: string, kubeconfigPath: string, layout: ClusterLayout, options: WorkloadOptions): Promise<RunningWorkloads> {
  const stops: Array<() => Promise<void>> = [];
  const record: WorkloadRecords = {};
  let prometheusUrl: string | undefined;
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    if (options.node ?? true) {
      const logFile = layout.log('node');
      const node = await startNode({ clusterName, kubeconfigPath, stateDir: layout.dir, logFile });
      stops.push(() => node.stop());
      record.node = { stateDir: layout.dir, logFile, process: processOf(node) };
    }
    if (options.prometheus ?? true) {
      const logFile = layout.log('prometheus');
      const prometheus = await startPrometheus({ clusterName, stateDir: layout.dir, logFile });
      stops.push(() => prometheus.stop());
      prometheusUrl = prometheus.url;
      record.prometheus = { stateDir: layout.dir, logFile, url: prometheus.url, process: processOf(prometheus) };
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { prometheusUrl, record, stop };
}

/** Stops the workload processes recorded in the state file (each with its process group). */
export async function stopRecordedWorkloads(records: WorkloadRecords): Promise<void> {
  for (const workload of [records.prometheus, records.node]) {
    if (workload?.process) await stopProcessGroup(workload.process, 15_000);
  }
}

/** Subdirectories of the cluster directory where the workloads keep their PID files. */
const WORKLOAD_DIRS = ['node', 'prometheus', 'traffic'];

/**
 * Stops workloads from their PID files (`*.pid` under node/, prometheus/, traffic/) — how
 * `ferry-devcluster stop` in a new process reaches what an earlier `start` left running.
 * Each PID is stopped with its process group, as they are spawned detached.
 */
export async function stopWorkloadsFromPidFiles(layout: ClusterLayout): Promise<number[]> {
  const stopped: number[] = [];
  for (const sub of WORKLOAD_DIRS) {
    const dir = layout.workloadDir(sub);
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch {
      continue;
    }
    for (const entry of entries.filter((name) => name.endsWith('.pid'))) {
      const pid = Number((await readFile(join(dir, entry), 'utf8').catch(() => '')).trim().split(/\s+/)[0]);
      if (!Number.isInteger(pid) || pid <= 0) continue;
      const startTime = processStartTime(pid);
      if (startTime === undefined) continue;
      await stopProcessGroup({ pid, startTime });
      stopped.push(pid);
    }
  }
  return stopped;
}
