import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning, spawnDetached, stopProcessGroup, type ProcessRecord } from '../cluster/processes.js';
import { nodeAgentScript, sampleAppServerScript } from './locate.js';
import { type NodeAgentConfig } from './node-agent.js';
import { DEFAULT_NODE_NAME } from './node-registration.js';
import { nodeStateDir, writeJsonAtomic } from './state-files.js';

export interface StartNodeOptions {
  clusterName: string;
  kubeconfigPath: string;
  /** The cluster's directory; the node keeps its files under `<stateDir>/node`. */
  stateDir: string;
  logFile: string;
  nodeName?: string;
  /** Pods the node advertises room for. */
  maxPods?: number;
  /** First CrashLoopBackOff delay (the kubelet's is 10 s). */
  crashLoopBaseMs?: number;
  startTimeoutMs?: number;
}

export interface RunningNode {
  nodeName: string;
  process: ProcessRecord;
  stop(): Promise<void>;
}

/**
 * Starts the simulated node as a detached child process (its own process group, so `stop` ends
 * it and every pod process it runs) and waits until the Node object is registered.
 */
export async function startNode(options: StartNodeOptions): Promise<RunningNode> {
  const dir = nodeStateDir(options.stateDir);
  mkdirSync(dir, { recursive: true });
  const readyFile = join(dir, 'agent-ready');
  rmSync(readyFile, { force: true });
  const config: NodeAgentConfig = {
    clusterName: options.clusterName,
    kubeconfigPath: options.kubeconfigPath,
    stateDir: options.stateDir,
    nodeName: options.nodeName ?? DEFAULT_NODE_NAME,
    sampleAppServer: sampleAppServerScript(),
    maxPods: options.maxPods ?? 1000,
    crashLoopBaseMs: options.crashLoopBaseMs ?? 10_000,
    heartbeatMs: 10_000,
  };
  const configFile = join(dir, 'agent-config.json');
  writeJsonAtomic(configFile, config);
  const record = await spawnDetached({ command: process.execPath, args: [nodeAgentScript(), configFile], logFile: options.logFile });
  // `ferry-devcluster stop` in another process finds the node through this file.
  writeFileSync(join(dir, 'agent.pid'), `${record.pid}\n`);
  const stop = () => stopProcessGroup(record, 15_000);

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!existsSync(readyFile)) {
    if (!isRunning(record)) throw new Error(`simulated node exited while starting:\n${tail(options.logFile)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`simulated node did not register within ${options.startTimeoutMs ?? 30_000} ms:\n${tail(options.logFile)}`);
    }
    await sleep(100);
  }
  return { nodeName: config.nodeName, process: record, stop };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
