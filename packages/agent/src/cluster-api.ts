import type { RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { FerryInputError } from '@ferry/core';

/** The agent's own cluster API server and how to authenticate to it. */
export interface ClusterApi {
  /** e.g. `https://10.0.0.1:443`, without a trailing slash. */
  server: string;
  /** Adds the CA, client certificate and Authorization header (re-reading a rotated ServiceAccount token). */
  authorize(options: RequestOptions): Promise<void>;
}

/**
 * In a pod: the ServiceAccount token and CA under /var/run/secrets/kubernetes.io/serviceaccount.
 * For development: a kubeconfig (optionally one context of it).
 */
export function loadClusterApi(options: { kubeconfigPath?: string; context?: string }): ClusterApi {
  const kubeConfig = new KubeConfig();
  try {
    if (options.kubeconfigPath) kubeConfig.loadFromFile(options.kubeconfigPath);
    else kubeConfig.loadFromCluster();
    if (options.context) kubeConfig.setCurrentContext(options.context);
  } catch (error) {
    throw new FerryInputError(`cannot load the cluster's credentials: ${(error as Error).message}`, { code: 'invalid_kube_config', cause: error });
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new FerryInputError('the kube config names no current cluster', { code: 'invalid_kube_config' });
  return {
    server: cluster.server.replace(/\/$/, ''),
    authorize: (requestOptions) => kubeConfig.applyToHTTPSOptions(requestOptions),
  };
}
