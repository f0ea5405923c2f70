import { KubeConfig } from '@kubernetes/client-node';
import { FerryForbiddenError, FerryNotFoundError, type ClusterClientV1, type ClusterConnectorV1, type ClusterTarget } from '@ferry/core';
import { createKubeClusterClient } from '@ferry/integrations/kubernetes';
import type { TargetRepository } from '../contracts.js';
import type { KubeRelayEndpoint } from './kube-endpoint.js';

export const RELAY_CONNECTOR_KIND = 'remoteNetworkAgent';

/**
 * The engine's cluster connector over the relay: a target whose account names an `agent`
 * target of the deployment's tenant is reached through that agent. `handles` is synchronous,
 * so it answers from the names of agent targets this hub has seen (registrations here and,
 * over NATS, on other replicas); `client` checks the tenant's own target record, so an agent
 * of tenant A never serves tenant B even when both use the same name.
 */
export function relayConnector(options: { targets: TargetRepository; endpoint: KubeRelayEndpoint; knownAccounts: () => ReadonlySet<string> }): ClusterConnectorV1 {
  const clients = new Map<string, ClusterClientV1>();
  return {
    specificationVersion: 'v1',
    kind: RELAY_CONNECTOR_KIND,
    handles: (account) => options.knownAccounts().has(account),
    async client(target: ClusterTarget) {
      // `tenant` is being added to ClusterTarget; read it without depending on that change.
      const tenant = (target as ClusterTarget & { tenant?: string }).tenant;
      if (!tenant) {
        throw new FerryForbiddenError(`target "${target.account}" is reached through a Remote Network Agent, which needs the deployment's tenant`, { code: 'tenant_required' });
      }
      const record = await options.targets.get(tenant, target.account);
      if (!record || record.kind !== 'agent') {
        throw new FerryNotFoundError(`no agent target "${target.account}" in tenant "${tenant}"`, { code: 'unknown_account' });
      }
      const key = `${tenant}\u0000${record.ref}\u0000${target.account}`;
      const cached = clients.get(key);
      if (cached) return cached;
      const client = createKubeClusterClient(relayKubeConfig(options.endpoint, tenant, record.ref, target.account, target.namespace), { label: target.account });
      clients.set(key, client);
      return client;
    },
  };
}

/** A KubeConfig whose API server is the hub's loopback relay endpoint for one agent. */
export function relayKubeConfig(endpoint: KubeRelayEndpoint, tenant: string, identifier: string, contextName = identifier, namespace?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    // Plain HTTP on 127.0.0.1 (nothing to verify); client-node refuses http:// unless told so.
    clusters: [{ name: 'relay', server: endpoint.url, skipTLSVerify: true }],
    users: [{ name: 'relay', token: endpoint.tokenFor(tenant, identifier) }],
    contexts: [{ name: contextName, cluster: 'relay', user: 'relay', ...(namespace ? { namespace } : {}) }],
    currentContext: contextName,
  });
  return kubeConfig;
}
