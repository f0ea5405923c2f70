import { readFile, stat } from 'node:fs/promises';
import { waitUntil, isHealthy, type TlsClient } from './health.js';
import { pickFreePorts } from './ports.js';
import { isRunning, spawnDetached, stopProcessGroup, type ProcessRecord } from './processes.js';

export interface LaunchSpec<P> {
  component: string;
  command: string;
  logFile: string;
  /** How many free ports the component needs; picked afresh on every attempt. */
  portCount: number;
  toPorts: (ports: number[]) => P;
  args: (ports: P) => string[];
  /** URL answering 200 once the component is ready. */
  readyUrl: (ports: P) => string;
  tls?: TlsClient;
  timeoutMs: number;
}

const ATTEMPTS = 3;

/**
 * Starts one component detached and waits until its ready URL answers 200. If it dies because
 * a port picked for it was taken in the meantime, it retries with new ports.
 */
export async function launchComponent<P>(spec: LaunchSpec<P>): Promise<{ process: ProcessRecord; ports: P }> {
  for (let attempt = 1; ; attempt++) {
    const ports = spec.toPorts(await pickFreePorts(spec.portCount));
    const logStart = await logSize(spec.logFile);
    const record = await spawnDetached({ command: spec.command, args: spec.args(ports), logFile: spec.logFile });
    try {
      await waitUntil(async () => ((await isHealthy(spec.readyUrl(ports), spec.tls)) ? true : undefined), {
        what: `${spec.component} to become ready at ${spec.readyUrl(ports)}`,
        timeoutMs: spec.timeoutMs,
        intervalMs: 300,
        logFile: spec.logFile,
        abortIf: () => (isRunning(record) ? undefined : `${spec.component} (pid ${record.pid}) exited during start-up`),
      });
      return { process: record, ports };
    } catch (error) {
      await stopProcessGroup(record, 5_000);
      const portTaken = /address already in use/i.test(await logTail(spec.logFile, logStart));
      if (portTaken && attempt < ATTEMPTS) continue;
      throw error;
    }
  }
}

async function logSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function logTail(file: string, from: number): Promise<string> {
  try {
    return (await readFile(file)).subarray(from).toString('utf8');
  } catch {
    return '';
  }
}
