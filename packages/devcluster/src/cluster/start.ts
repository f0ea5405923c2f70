import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { clusterDir, clusterLayout, type ClusterLayout } from '../paths.js';
import { findBinaries } from './binaries.js';
import { generateClusterPki, type ClusterPki } from './certificates.js';
import { apiServerArgs, controllerManagerArgs, etcdArgs, KUBERNETES_SERVICE_IP } from './components.js';
import { httpGet, waitUntil } from './health.js';
import { writeKubeconfig } from './kubeconfig.js';
import { launchComponent } from './launch.js';
import { isRunning, type ProcessRecord } from './processes.js';
import { withLock } from './lock.js';
import { readState, writeState, type ClusterState } from './state.js';
import { clusterStatus } from './status.js';
import { stopClusterUnlocked } from './stop.js';
import { startWorkloads, type WorkloadOptions, type RunningWorkloads } from './workloads.js';

export interface StartClusterOptions extends WorkloadOptions {
  /** Cluster name (default `default`): its directory, certificate names and kubeconfig context derive from it. */
  name?: string;
  /** Directory for this cluster's state, certificates, etcd data and logs (default `<stateRoot>/<name>`). */
  dataDir?: string;
  /** Time allowed for each component to become ready (default 180 s, or $FERRY_DEVCLUSTER_START_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Progress messages (the CLI prints them). */
  log?: (message: string) => void;
}

export interface DevCluster {
  name: string;
  dir: string;
  kubeconfigPath: string;
  /** The API server's URL, https://127.0.0.1:<port>. */
  server: string;
  /** Prometheus' URL when it was started. */
  prometheusUrl?: string;
  /** True when an already running cluster of this name was reused. */
  reused: boolean;
  /** Stops every process of this cluster and deletes its directory. */
  stop(): Promise<void>;
}

export const DEFAULT_CLUSTER_NAME = 'default';
const LOCK_TIMEOUT_MS = 10 * 60_000;

/**
 * Starts a named dev cluster: etcd, kube-apiserver, kube-controller-manager (detached, so they
 * outlive this process), then the simulated node and Prometheus. Idempotent: a healthy
 * running cluster of the same name is reused; a broken one is torn down and started afresh.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<DevCluster> {
  const name = options.name ?? DEFAULT_CLUSTER_NAME;
  const layout = clusterLayout(clusterDir(name, options.dataDir));
  const log = options.log ?? (() => undefined);
  await mkdir(dirname(layout.dir), { recursive: true });
  return withLock(layout.lockFile, LOCK_TIMEOUT_MS, async () => {
    const existing = await readState(layout.stateFile);
    if (existing) {
      const status = await clusterStatus({ name, dataDir: layout.dir });
      if (status.controlPlaneHealthy) {
        log(`dev cluster '${name}' is already running at ${existing.server}`);
        const added = await startMissingWorkloads(existing, layout, options, log);
        return handle(existing, layout, true, added);
      }
      log(`dev cluster '${name}' exists but is not healthy (${status.summary}); restarting it`);
      await stopClusterUnlocked(layout);
    } else {
      // A directory without state is the leftover of a start that died early.
      await rm(layout.dir, { recursive: true, force: true });
    }
    const { state, workloads } = await startFresh(name, layout, options, log);
    return handle(state, layout, false, workloads);
  });
}

/**
 * On reuse, starts the requested workloads that are not running (never started, or their process
 * died); workloads running but not requested are left alone.
 */
async function startMissingWorkloads(
  state: ClusterState,
  layout: ClusterLayout,
  options: WorkloadOptions,
  log: (message: string) => void,
): Promise<RunningWorkloads | undefined> {
  const alive = (workload?: { process?: ProcessRecord }) => workload !== undefined && (!workload.process || isRunning(workload.process));
  const missing = {
    node: (options.node ?? true) && !alive(state.workloads.node),
    prometheus: (options.prometheus ?? true) && !alive(state.workloads.prometheus),
  };
  if (!missing.node && !missing.prometheus) return undefined;
  log(`starting ${[missing.node && 'the simulated node', missing.prometheus && 'Prometheus'].filter(Boolean).join(' and ')}`);
  const workloads = await startWorkloads(state.name, state.kubeconfigPath, layout, missing);
  state.workloads = { ...state.workloads, ...workloads.record };
  await writeState(layout.stateFile, state);
  return workloads;
}

function handle(state: ClusterState, layout: ClusterLayout, reused: boolean, workloads?: RunningWorkloads): DevCluster {
  return {
    name: state.name,
    dir: state.dir,
    kubeconfigPath: state.kubeconfigPath,
    server: state.server,
    prometheusUrl: state.workloads.prometheus?.url,
    reused,
    stop: async () => {
      await withLock(layout.lockFile, LOCK_TIMEOUT_MS, async () => {
        // Our own handles first (they know their processes best); PID files catch the rest.
        await workloads?.stop().catch(() => undefined);
        await stopClusterUnlocked(layout);
      });
    },
  };
}

async function startFresh(
  name: string,
  layout: ClusterLayout,
  options: StartClusterOptions,
  log: (message: string) => void,
): Promise<{ state: ClusterState; workloads: RunningWorkloads }> {
  const binaries = findBinaries();
  const timeoutMs = options.timeoutMs ?? (Number(process.env.FERRY_DEVCLUSTER_START_TIMEOUT_MS) || 180_000);
  await mkdir(layout.logs, { recursive: true });
  const started = Date.now();
  const state: ClusterState = {
    name,
    dir: layout.dir,
    server: '',
    kubeconfigPath: layout.kubeconfig,
    ports: { etcdClient: 0, etcdPeer: 0, apiServer: 0, controllerManager: 0 },
    processes: {},
    workloads: {},
    startedAt: new Date().toISOString(),
    binDir: binaries.binDir,
  };
  // Recorded before anything starts, so `stop` can clean up a start that fails half-way.
  await writeState(layout.stateFile, state);
  try {
    log(`generating certificates in ${layout.pki}`);
    const pki = await generateClusterPki(layout.pki, name, KUBERNETES_SERVICE_IP);

    log('starting etcd');
    const etcd = await launchComponent({
      component: 'etcd',
      command: binaries.etcd,
      logFile: layout.log('etcd'),
      portCount: 2,
      toPorts: ([client, peer]) => ({ client: client!, peer: peer! }),
      args: (ports) => etcdArgs(name, layout.etcdData, ports),
      readyUrl: (ports) => `http://127.0.0.1:${ports.client}/health`,
      timeoutMs,
    });
    state.processes.etcd = etcd.process;
    state.ports.etcdClient = etcd.ports.client;
    state.ports.etcdPeer = etcd.ports.peer;
    await writeState(layout.stateFile, state);

    log('starting kube-apiserver');
    const adminTls = { caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey };
    const apiServer = await launchComponent({
      component: 'kube-apiserver',
      command: binaries.kubeApiserver,
      logFile: layout.log('apiserver'),
      portCount: 1,
      toPorts: ([port]) => port!,
      args: (port) => apiServerArgs(pki, etcd.ports.client, port),
      readyUrl: (port) => `https://127.0.0.1:${port}/readyz`,
      tls: adminTls,
      timeoutMs,
    });
    state.processes.apiserver = apiServer.process;
    state.ports.apiServer = apiServer.ports;
    state.server = `https://127.0.0.1:${apiServer.ports}`;
    await writeState(layout.stateFile, state);

    await writeKubeconfig(layout.kubeconfig, {
      clusterName: name,
      server: state.server,
      caCertFile: pki.caCert,
      clientCertFile: pki.adminCert,
      clientKeyFile: pki.adminKey,
      userName: `ferry-${name}-admin`,
    });
    const controllerManagerKubeconfig = join(layout.pki, 'controller-manager.kubeconfig');
    await writeKubeconfig(controllerManagerKubeconfig, {
      clusterName: name,
      server: state.server,
      caCertFile: pki.caCert,
      clientCertFile: pki.controllerManagerClientCert,
      clientKeyFile: pki.controllerManagerClientKey,
      userName: 'system:kube-controller-manager',
    });

    log('starting kube-controller-manager');
    const controllerManager = await launchComponent({
      component: 'kube-controller-manager',
      command: binaries.kubeControllerManager,
      logFile: layout.log('controller-manager'),
      portCount: 1,
      toPorts: ([port]) => port!,
      args: (port) => controllerManagerArgs(pki, controllerManagerKubeconfig, port),
      readyUrl: (port) => `https://127.0.0.1:${port}/healthz`,
      tls: { caCert: pki.caCert },
      timeoutMs,
    });
    state.processes['controller-manager'] = controllerManager.process;
    state.ports.controllerManager = controllerManager.ports;
    await writeState(layout.stateFile, state);

    await waitForDefaultServiceAccountToken(state.server, pki, timeoutMs, layout.log('controller-manager'));
    log(`control plane ready at ${state.server} in ${((Date.now() - started) / 1000).toFixed(1)}s`);

    const workloads = await startWorkloads(name, layout.kubeconfig, layout, options);
    state.workloads = workloads.record;
    await writeState(layout.stateFile, state);
    if (workloads.record.node) log('simulated node started');
    if (workloads.prometheusUrl) log(`Prometheus at ${workloads.prometheusUrl}`);
    return { state, workloads };
  } catch (error) {
    // Stop what did start but keep the directory: the error names log files inside it.
    await stopClusterUnlocked(layout, { keepFiles: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Pods can only be admitted once their ServiceAccount has a token Secret, which the
 * controller-manager's token controller creates. Waiting for the `default` one in `default`
 * means the cluster is usable the moment start returns.
 */
async function waitForDefaultServiceAccountToken(server: string, pki: ClusterPki, timeoutMs: number, logFile: string): Promise<void> {
  const tls = { caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey };
  await waitUntil(
    async () => {
      const res = await httpGet(`${server}/api/v1/namespaces/default/serviceaccounts/default`, tls);
      if (res.status !== 200) return undefined;
      const account = JSON.parse(res.body) as { secrets?: unknown[] };
      return (account.secrets?.length ?? 0) > 0 ? true : undefined;
    },
    { what: "the controller-manager to create the default ServiceAccount's token", timeoutMs, intervalMs: 300, logFile },
  );
}
