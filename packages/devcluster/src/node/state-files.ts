import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Files the simulated node keeps in the cluster's stateDir for the other local helpers: which
 * loopback port serves each pod (read by the traffic generator) and the Prometheus file_sd targets.
 */
export function nodeStateDir(stateDir: string): string {
  return join(stateDir, 'node');
}

export function podPortsFile(stateDir: string): string {
  return join(nodeStateDir(stateDir), 'pods.json');
}

export function prometheusTargetsFile(stateDir: string): string {
  return join(stateDir, 'prometheus', 'targets.json');
}

/** One pod the node runs, as published in pods.json. */
export interface PodPorts {
  namespace: string;
  name: string;
  uid: string;
  podIP: string;
  ready: boolean;
  replicaset?: string;
  /** containerPort → 127.0.0.1 port of the local process serving it. */
  ports: Record<string, number>;
}

export interface PodPortsFile {
  updatedAt: string;
  pods: Record<string, PodPorts>;
}

/** A Prometheus file_sd target group. */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

/** Writes JSON atomically (temp file + rename), so readers never see half a file. */
export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2));
  renameSync(tmp, file);
}

export function readPodPorts(stateDir: string): PodPortsFile {
  try {
    return JSON.parse(readFileSync(podPortsFile(stateDir), 'utf8')) as PodPortsFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { updatedAt: '', pods: {} };
    throw error;
  }
}
