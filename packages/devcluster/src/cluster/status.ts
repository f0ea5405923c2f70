import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDir, clusterLayout, stateRoot } from '../paths.js';
import { pkiPaths } from './certificates.js';
import { httpGet, isHealthy } from './health.js';
import { isRunning } from './processes.js';
import { COMPONENTS, readState, type ClusterState } from './state.js';

export interface ComponentStatus {
  component: string;
  pid?: number;
  /** The recorded process is alive (undefined for components without a process of ours). */
  running?: boolean;
  healthy: boolean;
  url?: string;
  logFile?: string;
  detail?: string;
}

export interface ClusterStatus {
  name: string;
  dir: string;
  /** A state file exists (the cluster was started and not stopped). */
  exists: boolean;
  /** Every component (control plane, node, Prometheus) is running and answers its health check. */
  healthy: boolean;
  /** etcd, kube-apiserver and kube-controller-manager are running and healthy. */
  controlPlaneHealthy: boolean;
  /** One line for humans, e.g. `healthy` or `kube-apiserver not running`. */
  summary: string;
  server?: string;
  kubeconfigPath?: string;
  prometheusUrl?: string;
  components: ComponentStatus[];
}

/** Health of one named cluster: each process alive and answering, plus its node and Prometheus. */
export async function clusterStatus(options: { name?: string; dataDir?: string } = {}): Promise<ClusterStatus> {
  const name = options.name ?? 'default';
  const layout = clusterLayout(clusterDir(name, options.dataDir));
  const state = await readState(layout.stateFile);
  if (!state) return { name, dir: layout.dir, exists: false, healthy: false, controlPlaneHealthy: false, summary: 'not running', components: [] };

  const pki = pkiPaths(layout.pki);
  const adminTls = { caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey };
  const urls: Record<(typeof COMPONENTS)[number], string | undefined> = {
    etcd: state.ports.etcdClient ? `http://127.0.0.1:${state.ports.etcdClient}/health` : undefined,
    apiserver: state.server ? `${state.server}/readyz` : undefined,
    'controller-manager': state.ports.controllerManager ? `https://127.0.0.1:${state.ports.controllerManager}/healthz` : undefined,
  };
  const components = await Promise.all(
    COMPONENTS.map(async (component): Promise<ComponentStatus> => {
      const record = state.processes[component];
      const running = record ? isRunning(record) : false;
      const url = urls[component];
      const healthy = running && url !== undefined && (await isHealthy(url, url.startsWith('https') ? adminTls : undefined));
      return { component, pid: record?.pid, running, healthy, url, logFile: layout.log(component) };
    }),
  );
  const controlPlaneHealthy = components.every((c) => c.healthy);
  if (state.workloads.node) components.push(await nodeStatus(state, adminTls, controlPlaneHealthy));
  if (state.workloads.prometheus) {
    const url = state.workloads.prometheus.url;
    components.push({ component: 'prometheus', healthy: await isHealthy(`${url}/-/ready`), url, logFile: state.workloads.prometheus.logFile });
  }
  const broken = components.filter((c) => !c.healthy).map((c) => `${c.component} ${c.running === false ? 'not running' : 'unhealthy'}`);
  return {
    name,
    dir: layout.dir,
    exists: true,
    healthy: broken.length === 0,
    controlPlaneHealthy,
    summary: broken.length === 0 ? 'healthy' : broken.join(', '),
    server: state.server,
    kubeconfigPath: state.kubeconfigPath,
    prometheusUrl: state.workloads.prometheus?.url,
    components,
  };
}

/** The simulated node counts as healthy when the API server lists at least one Ready Node. */
async function nodeStatus(state: ClusterState, tls: { caCert: string; clientCert: string; clientKey: string }, apiUp: boolean): Promise<ComponentStatus> {
  const base = { component: 'node', logFile: state.workloads.node?.logFile };
  if (!apiUp) return { ...base, healthy: false, detail: 'API server not healthy' };
  try {
    const res = await httpGet(`${state.server}/api/v1/nodes`, tls);
    const nodes = (JSON.parse(res.body) as { items?: Array<{ metadata: { name: string }; status?: { conditions?: Array<{ type: string; status: string }> } }> }).items ?? [];
    const ready = nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    return { ...base, healthy: ready.length > 0, detail: `${ready.length}/${nodes.length} nodes Ready${ready.length ? `: ${ready.map((n) => n.metadata.name).join(', ')}` : ''}` };
  } catch (error) {
    return { ...base, healthy: false, detail: (error as Error).message };
  }
}

/** Names of the clusters with state under the state root (started and not stopped). */
export async function listClusters(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const root = stateRoot(env);
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  return entries.filter((entry) => existsSync(join(root, entry, 'cluster.json'))).sort();
}
