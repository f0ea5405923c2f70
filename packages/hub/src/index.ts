/**
 * @ferry/hub — Ferry's control plane. Start one with `startHub(options)`; everything else
 * here is for embedding (the `ferry hub` CLI verb) and for the Agent Hub.
 */
export { startHub, type RunningHub } from './hub.js';
export { parseHubOptions, isLoopbackHost, type HubOptions, type ResolvedHubOptions } from './options.js';
export { ensureLocalCa, loadProvidedTls, type TlsMaterial } from './server/tls.js';
export { createHubMetrics, type HubMetrics } from './server/metrics.js';
export { hubOptionsFromArgs, HUB_USAGE } from './server/cli-options.js';
export { tenantClusterConnector, type TenantClusterConnectorOptions } from './engine-host/tenant-cluster-connector.js';
export type * from './contracts.js';
export { GRANT_RESOURCES } from './contracts.js';
// The REST API's response bodies, for typed clients (the console checks itself against them).
export type {
  AgentPayload,
  CredentialPayload,
  DeploymentConfigPayload,
  DeploymentEventPayload,
  DeploymentStatusPayload,
  DeploymentSummaryPayload,
  ErrorPayload,
  GrantPayload,
  IntegrationPayload,
  MePayload,
  RolePayload,
  SecretEntryPayload,
  TargetPayload,
  TenantPayload,
  UserPayload,
} from './api/payloads.js';
