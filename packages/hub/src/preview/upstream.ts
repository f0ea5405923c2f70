import type { RelayDestination } from '../agent-hub/index.js';

/** Where a preview's requests go, given the Service and the path below `/preview/<token>`. */
export type PreviewUpstream = (service: { namespace: string; name: string; port: number }, pathAndQuery: string) => RelayDestination;

/**
 * Default: the Kubernetes API's service proxy, reached as a `clusterPath` of the agent's
 * cluster. It needs no allowlist entry and no in-cluster DNS (the agent may run anywhere it
 * reaches the API), and the agent's ClusterRole already covers `services/proxy` in the core
 * group. The API server then dials one of the Service's ready endpoints.
 */
export const serviceProxyUpstream: PreviewUpstream = (service, pathAndQuery) => ({
  clusterPath: `/api/v1/namespaces/${encodeURIComponent(service.namespace)}/services/${encodeURIComponent(service.name)}:${service.port}/proxy${pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`}`,
});

/**
 * Alternative: the Service's cluster DNS name over plain HTTP, for agents running in the
 * cluster with `*.svc.cluster.local` (or the exact host) in their allowed hosts.
 */
export const clusterDnsUpstream: PreviewUpstream = (service, pathAndQuery) => ({
  url: `http://${service.name}.${service.namespace}.svc.cluster.local:${service.port}${pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`}`,
});
