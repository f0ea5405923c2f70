export { startCluster, DEFAULT_CLUSTER_NAME, type StartClusterOptions, type DevCluster } from './cluster/start.js';
export { stopCluster, type StopClusterOptions } from './cluster/stop.js';
export { clusterStatus, listClusters, type ClusterStatus, type ComponentStatus } from './cluster/status.js';
export { kubectl, type KubectlResult } from './cluster/kubectl.js';
export { findBinaries, kubectlPath, type Binaries } from './cluster/binaries.js';
export { SERVICE_CLUSTER_IP_RANGE, SERVICE_ACCOUNT_ISSUER } from './cluster/components.js';
export { installCrds, uninstallCrds, CRD_BUNDLES, type CrdBundle } from './crds/install.js';
export type { CustomResourceDefinition } from './crds/schema.js';
export { clusterDir, stateRoot, kubernetesBinDir } from './paths.js';
// The node engineer's modules: the simulated node, Prometheus wiring and the traffic generator.
export * from './node/index.js';
export * from './prometheus/index.js';
export * from './traffic/index.js';
