import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where install-prerequisites.sh caches the Kubernetes binaries it builds (outside any repo). */
export const DEFAULT_BINARY_CACHE = '/var/cache/ferry-devcluster';

/** Cluster names become directory names and certificate CNs, so keep them DNS-label-like. */
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

export function assertClusterName(name: string): void {
  if (!CLUSTER_NAME.test(name)) {
    throw new Error(
      `invalid dev-cluster name '${name}': use 1-40 lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
}

/** Root of every cluster's state: $FERRY_DEVCLUSTER_HOME, else $XDG_STATE_HOME/ferry-devcluster, else ~/.local/state/ferry-devcluster. */
export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FERRY_DEVCLUSTER_HOME) return env.FERRY_DEVCLUSTER_HOME;
  const xdg = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(xdg, 'ferry-devcluster');
}

/** A cluster's own directory: `dataDir` when given, else `<stateRoot>/<name>`. */
export function clusterDir(name: string, dataDir?: string, env: NodeJS.ProcessEnv = process.env): string {
  assertClusterName(name);
  return dataDir ?? join(stateRoot(env), name);
}

/** Directory holding kube-apiserver, kube-controller-manager and kubectl ($FERRY_DEVCLUSTER_K8S_BIN overrides). */
export function kubernetesBinDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FERRY_DEVCLUSTER_K8S_BIN) return env.FERRY_DEVCLUSTER_K8S_BIN;
  return join(env.FERRY_DEVCLUSTER_CACHE || DEFAULT_BINARY_CACHE, 'current', 'bin');
}

/** The files inside one cluster's directory, in one place so start, stop, status and the CLI agree. */
export function clusterLayout(dir: string) {
  return {
    dir,
    stateFile: join(dir, 'cluster.json'),
    // Beside the directory, not in it: stop deletes the directory while holding the lock.
    lockFile: `${dir}.lock`,
    kubeconfig: join(dir, 'kubeconfig'),
    pki: join(dir, 'pki'),
    etcdData: join(dir, 'etcd'),
    logs: join(dir, 'logs'),
    log: (component: string) => join(dir, 'logs', `${component}.log`),
    workloadDir: (workload: string) => join(dir, workload),
  };
}

export type ClusterLayout = ReturnType<typeof clusterLayout>;
