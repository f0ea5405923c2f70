import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl } from '../cluster/kubectl.js';
import { listeningPorts } from '../cluster/ports.js';
import { isRunning, processGroupMembers, type ProcessRecord } from '../cluster/processes.js';
import type { ClusterState } from '../cluster/state.js';

const cliScript = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `ferry-devcluster` CLI as its own process, the way a developer would. */
function cli(home: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliScript, ...args], { env: { ...process.env, FERRY_DEVCLUSTER_HOME: home }, timeout: 300_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** PIDs of live processes whose command line mentions `text` (catches anything a cluster left behind). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('ferry-devcluster CLI lifecycle', () => {
  let home: string;
  const name = `life-${process.pid}`;

  beforeAll(async () => {
    if (!existsSync(cliScript)) throw new Error(`${cliScript} is missing: build first (npm run build -w @ferry/devcluster)`);
    home = await mkdtemp(join(tmpdir(), 'ferry-devcluster-cli-'));
  });
  afterAll(async () => {
    // Only reached with a cluster still up if an assertion failed half-way.
    await cli(home, ['stop', '--name', name]);
    await rm(home, { recursive: true, force: true });
  });

  it('start leaves a healthy cluster running after the CLI exits; start again reuses it; stop removes every process, port and file', async () => {
    const started = Date.now();
    // Two starts racing for the same name: one starts the cluster, the other waits and reuses it.
    const [first, racer] = await Promise.all([cli(home, ['start', '--name', name]), cli(home, ['start', '--name', name])]);
    expect(first.code, first.stderr).toBe(0);
    expect(racer.code, racer.stderr).toBe(0);
    const kubeconfigPath = first.stdout.trim();
    expect(kubeconfigPath).toBe(join(home, name, 'kubeconfig'));
    expect(racer.stdout.trim()).toBe(kubeconfigPath);
    expect([first, racer].filter((run) => run.stderr.includes('reused running cluster'))).toHaveLength(1);
    console.log(`cold start (CLI, incl. node and Prometheus): ${((Date.now() - started) / 1000).toFixed(1)}s`);

    // The CLI has exited; the cluster answers another process.
    const status = await cli(home, ['status', '--name', name, '--json']);
    expect(status.code, status.stdout).toBe(0);
    const report = JSON.parse(status.stdout) as { healthy: boolean; components: Array<{ component: string; healthy: boolean }> };
    expect(report.components.map((c) => c.component)).toEqual(['etcd', 'apiserver', 'controller-manager', 'node', 'prometheus']);
    expect((await kubectl(kubeconfigPath, ['get', 'namespace', 'kube-system', '-o', 'name'])).stdout.trim()).toBe('namespace/kube-system');

    const state = JSON.parse(await readFile(join(home, name, 'cluster.json'), 'utf8')) as ClusterState;
    const again = Date.now();
    const second = await cli(home, ['start', '--name', name]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('reused running cluster');
    expect(second.stdout.trim()).toBe(kubeconfigPath);
    console.log(`start of a running cluster (reuse): ${((Date.now() - again) / 1000).toFixed(1)}s`);
    const sameState = JSON.parse(await readFile(join(home, name, 'cluster.json'), 'utf8')) as ClusterState;
    expect(sameState.processes.apiserver?.pid).toBe(state.processes.apiserver?.pid);

    // A workload that died is started again by the next start; the control plane is kept.
    const deadNode = state.workloads.node!.process!;
    process.kill(-deadNode.pid, 'SIGKILL');
    await expect.poll(() => isRunning(deadNode), { timeout: 10_000 }).toBe(false);
    const third = await cli(home, ['start', '--name', name]);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toContain('starting the simulated node');
    const restarted = JSON.parse(await readFile(join(home, name, 'cluster.json'), 'utf8')) as ClusterState;
    expect(restarted.processes.apiserver?.pid).toBe(state.processes.apiserver?.pid);
    expect(restarted.workloads.node?.process?.pid).not.toBe(deadNode.pid);
    expect(restarted.workloads.prometheus?.process?.pid).toBe(state.workloads.prometheus?.process?.pid);
    await expect
      .poll(async () => JSON.parse((await cli(home, ['status', '--name', name, '--json'])).stdout).healthy as boolean, { timeout: 60_000, interval: 1_000 })
      .toBe(true);

    expect((await cli(home, ['kubeconfig', '--name', name])).stdout.trim()).toBe(kubeconfigPath);
    const logs = await cli(home, ['logs', '--name', name, '--component', 'apiserver', '--lines', '5']);
    expect(logs.stdout).toContain(`==> ${join(home, name, 'logs', 'apiserver.log')} <==`);

    const records: ProcessRecord[] = [
      ...Object.values(restarted.processes),
      ...[restarted.workloads.node?.process, restarted.workloads.prometheus?.process].filter((p): p is ProcessRecord => p !== undefined),
    ];
    expect(records).toHaveLength(5);
    const ports = [state.ports.etcdClient, state.ports.etcdPeer, state.ports.apiServer, state.ports.controllerManager];
    const listening = await listeningPorts();
    expect(ports.every((port) => listening.has(port))).toBe(true);

    const stop = await cli(home, ['stop', '--name', name]);
    expect(stop.code, stop.stderr).toBe(0);
    for (const record of records) {
      expect(isRunning(record), `pid ${record.pid} (${record.command})`).toBe(false);
      expect(processGroupMembers(record.pid), `group ${record.pid}`).toEqual([]);
    }
    expect(processesMentioning(join(home, name))).toEqual([]);
    const after = await listeningPorts();
    expect(ports.filter((port) => after.has(port))).toEqual([]);
    expect(existsSync(join(home, name))).toBe(false);

    const gone = await cli(home, ['status', '--name', name]);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toContain('not running');
  });
});
