import { readFile, rename, writeFile } from 'node:fs/promises';
import type { ProcessRecord } from './processes.js';
import type { WorkloadRecords } from './workloads.js';

/** The components this package starts itself, in start order (stopped in reverse). */
export const COMPONENTS = ['etcd', 'apiserver', 'controller-manager'] as const;
export type Component = (typeof COMPONENTS)[number];

/** What `start` records in `<clusterDir>/cluster.json` so stop, status and a later start (any process) can find the cluster. */
export interface ClusterState {
  name: string;
  dir: string;
  server: string;
  kubeconfigPath: string;
  ports: { etcdClient: number; etcdPeer: number; apiServer: number; controllerManager: number };
  processes: Partial<Record<Component, ProcessRecord>>;
  /** Workloads started through the node engineer's modules (simulated node, Prometheus). */
  workloads: WorkloadRecords;
  startedAt: string;
  binDir: string;
}

export async function readState(file: string): Promise<ClusterState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as ClusterState;
  } catch (error) {
    throw new Error(`dev-cluster state file ${file} is not valid JSON; stop the cluster or delete its directory`, { cause: error });
  }
}

/** Written atomically (temp file + rename) so a reader never sees half a file. */
export async function writeState(file: string, state: ClusterState): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, file);
}
