import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning, spawnDetached, stopProcessGroup, type ProcessRecord } from '../cluster/processes.js';
import { freePort } from '../node/free-port.js';
import { prometheusTargetsFile, writeJsonAtomic } from '../node/state-files.js';
import { prometheusConfig } from './prometheus-config.js';

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

export interface StartPrometheusOptions {
  clusterName: string;
  /** The cluster's directory; Prometheus keeps its config and TSDB under `<stateDir>/prometheus`. */
  stateDir: string;
  logFile: string;
  scrapeIntervalSeconds?: number;
  binary?: string;
  startTimeoutMs?: number;
  /** Where config, TSDB and PID file go (default `<stateDir>/prometheus`); the targets file stays the node's. */
  workDir?: string;
}

export interface RunningPrometheus {
  /** http://127.0.0.1:<port> */
  url: string;
  process: ProcessRecord;
  stop(): Promise<void>;
}

/** Starts Debian's Prometheus detached on a free loopback port and waits for /-/ready. */
export async function startPrometheus(options: StartPrometheusOptions): Promise<RunningPrometheus> {
  const binary = options.binary ?? PROMETHEUS_BINARY;
  if (!existsSync(binary)) throw new Error(`${binary} not found: install Debian's prometheus package`);
  const dir = options.workDir ?? join(options.stateDir, 'prometheus');
  mkdirSync(join(dir, 'data'), { recursive: true });
  const targetsFile = prometheusTargetsFile(options.stateDir);
  // Prometheus complains about a missing file_sd file; start with no targets until the node writes some.
  if (!existsSync(targetsFile)) writeJsonAtomic(targetsFile, []);
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(
    configFile,
    prometheusConfig({ clusterName: options.clusterName, targetsFile, scrapeIntervalSeconds: options.scrapeIntervalSeconds ?? 2 }),
  );

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const record = await spawnDetached({
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--storage.tsdb.retention.time=1d',
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
    ],
    logFile: options.logFile,
    cwd: dir,
  });
  writeFileSync(join(dir, 'prometheus.pid'), `${record.pid}\n`);
  const stop = () => stopProcessGroup(record, 10_000);

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isRunning(record)) throw new Error(`prometheus exited while starting:\n${tail(options.logFile)}`);
    if (await isReady(url)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready within ${timeoutMs} ms:\n${tail(options.logFile)}`);
    }
    await sleep(200);
  }
  return { url, process: record, stop };
}

async function isReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
