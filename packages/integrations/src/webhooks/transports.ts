import { FerryUnavailableError, type HttpTransportV1, type TargetConfig, type WebhookConfig } from '@ferry/core';

/** Transports of connected Remote Network Agents by agent identifier (a Map fits; the hub's relay will provide one). */
export interface AgentTransportsV1 {
  /** The agent's transport for the deployment's tenant (a hub serves each tenant only its own agents). */
  get(agentIdentifier: string, tenant?: string): HttpTransportV1 | undefined;
}

/**
 * The networkMode seam: `direct` sends from this process; `remoteNetworkAgent` sends
 * through the agent named by `agentIdentifier` (default: the target's account) and fails
 * with FerryUnavailableError naming the agent when none is registered for it.
 */
export function transportFor(
  webhook: WebhookConfig,
  target: TargetConfig,
  transports: { direct: HttpTransportV1; agents: AgentTransportsV1 | undefined },
  tenant?: string,
): HttpTransportV1 {
  if (webhook.networkMode !== 'remoteNetworkAgent') return transports.direct;
  const agent = webhook.agentIdentifier ?? target.account;
  const transport = transports.agents?.get(agent, tenant);
  if (!transport) {
    throw new FerryUnavailableError(`webhook "${webhook.name}" is sent through the Remote Network Agent "${agent}", but no transport is registered for that agent (is the agent connected?)`, {
      code: 'agent_unavailable',
      details: { agent, webhook: webhook.name },
    });
  }
  return transport;
}
