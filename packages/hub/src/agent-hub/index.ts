/**
 * `@ferry/hub/agent-hub`: the Agent Hub alone, for platforms that embed the relay into their
 * own control plane (`startHub` runs it as part of the whole hub).
 */
export { createAgentHub, type AgentHub, type ConnectedAgent } from './agent-hub.js';
export { agentHubSettings, type AgentHubLogger, type AgentHubOptions } from './options.js';
export { relayKubeConfig, RELAY_CONNECTOR_KIND } from './relay-connector.js';
export { requireAgentHubGrant } from './grants.js';
export type { Relay, RelayDestination, RelayRequest, RelayResponse } from './relay-types.js';
