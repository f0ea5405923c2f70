export { startAgent, type RemoteNetworkAgent } from './agent.js';
export { agentOptionsSchema, type AgentOptions, type AgentSettings } from './options.js';
export { agentOptionsFromEnv } from './env-options.js';
export { Allowlist } from './allowlist.js';
export { loadClusterApi, type ClusterApi } from './cluster-api.js';
export { TokenSource, type AccessToken, type TokenSourceOptions } from './token-source.js';
export { backoff, type AgentLogger, type ConnectionState } from './hub-connection.js';
export { installAgent, INSTALL_FIELD_MANAGER, type InstallAgentOptions, type InstallAgentResult } from './install.js';
export { agentManifests, DEFAULT_AGENT_RULES, DEFAULT_AGENT_IMAGE, type AgentManifestInput, type PolicyRule } from './install-manifests.js';
