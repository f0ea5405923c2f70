import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { kubernetesBinDir } from '../paths.js';

export interface Binaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubectl: string;
  binDir: string;
}

const INSTALL_HINT = 'run `sudo bash packages/devcluster/scripts/install-prerequisites.sh` (builds them once into /var/cache/ferry-devcluster)';

/** Finds etcd (Debian's etcd-server, or $FERRY_DEVCLUSTER_ETCD) and the cached Kubernetes binaries, or says how to get them. */
export function findBinaries(env: NodeJS.ProcessEnv = process.env): Binaries {
  const binDir = kubernetesBinDir(env);
  const inBinDir = (name: string) => cachedBinary(binDir, name);
  const etcd = env.FERRY_DEVCLUSTER_ETCD || onPath('etcd', env);
  if (!etcd) throw new Error(`etcd not found on PATH; ${INSTALL_HINT}, or set FERRY_DEVCLUSTER_ETCD`);
  return {
    etcd,
    kubeApiserver: inBinDir('kube-apiserver'),
    kubeControllerManager: inBinDir('kube-controller-manager'),
    kubectl: inBinDir('kubectl'),
    binDir,
  };
}

/** The kubectl built with the cluster (same version as the API server). */
export function kubectlPath(env: NodeJS.ProcessEnv = process.env): string {
  return cachedBinary(kubernetesBinDir(env), 'kubectl');
}

function cachedBinary(binDir: string, name: string): string {
  const file = join(binDir, name);
  if (!isExecutable(file)) throw new Error(`${name} not found at ${file}; ${INSTALL_HINT}, or set FERRY_DEVCLUSTER_K8S_BIN`);
  return file;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  // sbin directories are often missing from a non-login PATH; Debian's etcd lives in /usr/bin.
  return isExecutable(`/usr/bin/${name}`) ? `/usr/bin/${name}` : undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
