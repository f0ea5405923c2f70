import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startCluster, type DevCluster } from '../cluster/start.js';
import { PROVIDE_KEY, type ProvidedDevcluster } from './provided.js';

export interface DevclusterSetupOptions {
  /** How many independent clusters to start (default: $FERRY_DEVCLUSTER_CLUSTERS or 1). */
  clusters?: number;
  /** Start the simulated node in each cluster (default: true unless $FERRY_DEVCLUSTER_NODE=0). */
  node?: boolean;
  /** Start Prometheus in each cluster (default: false unless $FERRY_DEVCLUSTER_PROMETHEUS=1). */
  prometheus?: boolean;
  /**
   * Where each cluster's logs are copied before its files are deleted, so a failed run can be
   * diagnosed (default: $FERRY_DEVCLUSTER_LOG_ARTIFACTS, else ./test-artifacts/devcluster-logs).
   * Logs of earlier runs are pruned at start, except those of runs still going. '' keeps nothing.
   */
  logArtifactsDir?: string;
}

function envFlag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return !['0', 'false', 'no'].includes(value.toLowerCase());
}

/**
 * Makes a vitest globalSetup function: starts the dev clusters once per test run in a fresh
 * temporary state directory, provides them to tests (`inject('ferryDevclusters')`, or the
 * helpers in `@ferry/devcluster/vitest`), and stops them and deletes the directory at the end.
 * Use it from your own setup file: `export default devclusterGlobalSetup({ clusters: 2 })`.
 */
export function devclusterGlobalSetup(options: DevclusterSetupOptions = {}) {
  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    const count = options.clusters ?? (Number(process.env.FERRY_DEVCLUSTER_CLUSTERS) || 1);
    const node = options.node ?? envFlag(process.env.FERRY_DEVCLUSTER_NODE, true);
    const prometheus = options.prometheus ?? envFlag(process.env.FERRY_DEVCLUSTER_PROMETHEUS, false);
    const artifacts = options.logArtifactsDir ?? process.env.FERRY_DEVCLUSTER_LOG_ARTIFACTS ?? join(process.cwd(), 'test-artifacts', 'devcluster-logs');
    if (artifacts) await pruneArtifacts(artifacts);
    const home = await mkdtemp(join(tmpdir(), 'ferry-devcluster-vitest-'));
    const started: DevCluster[] = [];
    const attempted: string[] = [];
    const teardown = async () => {
      const errors: unknown[] = [];
      // Copy logs first, including those of a cluster whose start failed.
      for (const name of artifacts ? attempted : []) {
        await cp(join(home, name, 'logs'), join(artifacts, name), { recursive: true }).catch(() => undefined);
      }
      for (const cluster of started) await cluster.stop().catch((error: unknown) => errors.push(error));
      await rm(home, { recursive: true, force: true });
      if (errors.length > 0) throw new AggregateError(errors, 'could not stop every dev cluster');
    };
    try {
      // One at a time: on a 2-core machine parallel API servers just slow each other down.
      for (let i = 1; i <= count; i++) {
        const name = `vitest-${process.pid}-${i}`;
        attempted.push(name);
        const begun = Date.now();
        started.push(await startCluster({ name, dataDir: join(home, name), node, prometheus }));
        console.log(`[ferry-devcluster] ${name} ready at ${started.at(-1)!.server} in ${((Date.now() - begun) / 1000).toFixed(1)}s`);
      }
    } catch (error) {
      await teardown().catch(() => undefined);
      throw new Error(`${(error as Error).message}${artifacts ? ` (logs kept in ${artifacts})` : ''}`, { cause: error });
    }
    const provided: ProvidedDevcluster[] = started.map((c) => ({
      name: c.name,
      dir: c.dir,
      kubeconfigPath: c.kubeconfigPath,
      server: c.server,
      ...(c.prometheusUrl ? { prometheusUrl: c.prometheusUrl } : {}),
    }));
    project.provide(PROVIDE_KEY, provided);
    return teardown;
  };
}

/** Removes the log copies of earlier runs (`vitest-<pid>-<n>`) whose vitest process is gone. */
async function pruneArtifacts(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries) {
    const pid = Number(/^vitest-(\d+)-\d+$/.exec(entry)?.[1]);
    if (pid && pid !== process.pid && processAlive(pid)) continue;
    await rm(join(dir, entry), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The ready-made setup: `globalSetup: ['@ferry/devcluster/vitest/global-setup']`, configured by environment. */
export default devclusterGlobalSetup();
