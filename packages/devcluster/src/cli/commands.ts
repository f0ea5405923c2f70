import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { clusterDir, clusterLayout } from '../paths.js';
import { startCluster } from '../cluster/start.js';
import { stopCluster } from '../cluster/stop.js';
import { clusterStatus, listClusters, type ClusterStatus } from '../cluster/status.js';
import { installCrds } from '../crds/install.js';
import type { CliArgs } from './args.js';

/** What a command prints; the exit code is non-zero when the command did not do its job. */
export interface CommandResult {
  exitCode: number;
}

type Out = (line: string) => void;

export async function runCommand(args: CliArgs, out: Out, err: Out): Promise<CommandResult> {
  switch (args.command) {
    case 'start': {
      const cluster = await startCluster({
        name: args.name,
        dataDir: args.dataDir,
        node: args.node,
        prometheus: args.prometheus,
        timeoutMs: args.timeoutMs,
        log: (message) => err(`[${args.name}] ${message}`),
      });
      err(`[${args.name}] ${cluster.reused ? 'reused running cluster' : 'started'}: ${cluster.server}`);
      err(`[${args.name}] export KUBECONFIG=${cluster.kubeconfigPath}`);
      out(cluster.kubeconfigPath);
      return { exitCode: 0 };
    }
    case 'stop': {
      const names = args.all ? await listClusters() : [args.name];
      for (const name of names) {
        const stopped = await stopCluster({ name, dataDir: args.all ? undefined : args.dataDir });
        err(stopped ? `stopped dev cluster '${name}'` : `dev cluster '${name}' is not running`);
      }
      return { exitCode: 0 };
    }
    case 'status': {
      const names = args.all ? await listClusters() : [args.name];
      const statuses = await Promise.all(names.map((name) => clusterStatus({ name, dataDir: args.all ? undefined : args.dataDir })));
      if (args.json) out(JSON.stringify(args.all ? statuses : statuses[0], null, 2));
      else statuses.forEach((status) => printStatus(status, out));
      return { exitCode: statuses.length > 0 && statuses.every((s) => s.healthy) ? 0 : 1 };
    }
    case 'kubeconfig': {
      const status = await clusterStatus({ name: args.name, dataDir: args.dataDir });
      if (!status.exists || !status.kubeconfigPath) {
        err(`dev cluster '${args.name}' is not running; start it with: ferry-devcluster start --name ${args.name}`);
        return { exitCode: 1 };
      }
      out(status.kubeconfigPath);
      return { exitCode: 0 };
    }
    case 'logs': {
      const layout = clusterLayout(clusterDir(args.name, args.dataDir));
      if (!existsSync(layout.logs)) {
        err(`dev cluster '${args.name}' has no logs at ${layout.logs}`);
        return { exitCode: 1 };
      }
      const files = readdirSync(layout.logs)
        .filter((file) => file.endsWith('.log'))
        .filter((file) => !args.component || basename(file, '.log') === args.component)
        .sort();
      if (files.length === 0) {
        err(`no log${args.component ? ` for component '${args.component}'` : 's'} in ${layout.logs}`);
        return { exitCode: 1 };
      }
      for (const file of files) {
        const path = layout.log(basename(file, '.log'));
        out(`==> ${path} <==`);
        out(tail(await readFile(path, 'utf8'), args.lines));
      }
      return { exitCode: 0 };
    }
    case 'crds': {
      const status = await clusterStatus({ name: args.name, dataDir: args.dataDir });
      if (!status.controlPlaneHealthy || !status.kubeconfigPath) {
        err(`dev cluster '${args.name}' is not running (${status.summary})`);
        return { exitCode: 1 };
      }
      const names = await installCrds(status.kubeconfigPath, args.bundles);
      names.forEach((name) => out(`established ${name}`));
      return { exitCode: 0 };
    }
  }
}

function printStatus(status: ClusterStatus, out: Out): void {
  out(`${status.name}: ${status.summary}${status.server ? ` (${status.server})` : ''}`);
  if (!status.exists) return;
  out(`  kubeconfig: ${status.kubeconfigPath}`);
  for (const c of status.components) {
    const pid = c.pid ? ` pid ${c.pid}` : '';
    const detail = c.detail ? ` — ${c.detail}` : '';
    out(`  ${c.healthy ? 'ok  ' : 'FAIL'} ${c.component.padEnd(18)}${pid}${c.url ? ` ${c.url}` : ''}${detail}`);
    if (!c.healthy && c.logFile) out(`       log: ${c.logFile}`);
  }
}

function tail(text: string, lines: number): string {
  const all = text.replace(/\n$/, '').split('\n');
  return all.slice(-lines).join('\n');
}
