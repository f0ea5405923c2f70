import { readFileSync } from 'node:fs';
import type { AgentOptions } from './options.js';

/**
 * The agent's settings from its environment (the Helm chart and manifests set these):
 * FERRY_AGENT_IDENTIFIER, FERRY_HUB_ADDRESS, FERRY_HUB_CA_FILE, FERRY_HUB_SERVER_NAME,
 * FERRY_TOKEN_URL or FERRY_ISSUER, FERRY_CLIENT_ID / FERRY_CLIENT_SECRET (or ARMORY_CLIENT_ID /
 * ARMORY_CLIENT_SECRET), FERRY_AGENT_CLUSTER_ACCOUNT, FERRY_AGENT_CLUSTER_ROLE, KUBECONFIG,
 * FERRY_AGENT_ALLOWED_HOSTS (comma-separated), FERRY_AGENT_HEALTH_PORT, FERRY_AGENT_HEALTH_HOST,
 * FERRY_AGENT_DRAIN_TIMEOUT_MS. Validation happens in startAgent, naming the option.
 */
export function agentOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AgentOptions {
  const flag = (value: string | undefined, fallback: boolean) => (value === undefined || value === '' ? fallback : !['0', 'false', 'no'].includes(value.toLowerCase()));
  const number = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));
  const caFile = env.FERRY_HUB_CA_FILE;
  const healthPort = number(env.FERRY_AGENT_HEALTH_PORT);
  const drainTimeoutMs = number(env.FERRY_AGENT_DRAIN_TIMEOUT_MS);
  return {
    identifier: env.FERRY_AGENT_IDENTIFIER ?? '',
    hub: {
      address: env.FERRY_HUB_ADDRESS ?? '',
      ...(caFile ? { caPem: readFileSync(caFile, 'utf8') } : {}),
      ...(env.FERRY_HUB_SERVER_NAME ? { serverName: env.FERRY_HUB_SERVER_NAME } : {}),
    },
    auth: {
      ...(env.FERRY_TOKEN_URL ? { tokenUrl: env.FERRY_TOKEN_URL } : {}),
      ...(env.FERRY_ISSUER ? { issuer: env.FERRY_ISSUER } : {}),
      clientId: env.FERRY_CLIENT_ID ?? env.ARMORY_CLIENT_ID ?? '',
      clientSecret: env.FERRY_CLIENT_SECRET ?? env.ARMORY_CLIENT_SECRET ?? '',
    },
    clusterAccount: flag(env.FERRY_AGENT_CLUSTER_ACCOUNT, true),
    clusterRole: flag(env.FERRY_AGENT_CLUSTER_ROLE, true),
    kube: env.KUBECONFIG ? { kubeconfigPath: env.KUBECONFIG } : {},
    allowedHosts: (env.FERRY_AGENT_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean),
    ...(healthPort !== undefined ? { healthPort } : {}),
    ...(env.FERRY_AGENT_HEALTH_HOST ? { healthHost: env.FERRY_AGENT_HEALTH_HOST } : {}),
    ...(drainTimeoutMs !== undefined ? { drainTimeoutMs } : {}),
  };
}
