import { DEFAULT_TENANT, FerryNotFoundError, tenantOf, type ClusterClientV1, type ClusterConnectorV1 } from '@ferry/core';
import type { TargetRepository } from '../contracts.js';

export interface TenantClusterConnectorOptions {
  targets: TargetRepository;
  /** Reaches the contexts of the hub's kubeconfig (`kind: kubeconfig` targets). */
  kubeconfig?: ClusterConnectorV1;
  /** Connectors for `kind: agent` targets (the Agent Hub's), asked by the target's ref. */
  agentConnectors: ClusterConnectorV1[];
}

/**
 * The hub's one cluster connector: a deploy file's `account` is resolved per tenant through
 * the tenant's target records (kubeconfig context or agent). Tenant `default` may also use
 * every context of the hub's kubeconfig by name, so a single-user hub needs no set-up; a
 * target record of the same name takes precedence.
 */
export function tenantClusterConnector(options: TenantClusterConnectorOptions): ClusterConnectorV1 {
  return {
    specificationVersion: 'v1',
    kind: 'hub',
    // Which accounts exist depends on the tenant, known only in client(): claim every account.
    handles: () => true,
    async client(target, clientOptions): Promise<ClusterClientV1> {
      const tenant = tenantOf(target);
      const record = await options.targets.get(tenant, target.account);
      if (record?.kind === 'kubeconfig') {
        if (!options.kubeconfig?.handles(record.ref)) {
          throw new FerryNotFoundError(`target "${target.account}" of tenant "${tenant}" names kube context "${record.ref}", which the hub's kubeconfig does not have`, {
            code: 'unknown_account',
            details: { account: target.account, tenant },
          });
        }
        return options.kubeconfig.client({ ...target, account: record.ref }, clientOptions);
      }
      if (record?.kind === 'agent') {
        const connector = options.agentConnectors.find((c) => c.handles(record.ref, tenant));
        if (!connector) {
          throw new FerryNotFoundError(`target "${target.account}" of tenant "${tenant}" is served by agent "${record.ref}", which is not connected to this hub`, {
            code: 'agent_not_connected',
            details: { account: target.account, tenant, agent: record.ref },
          });
        }
        return connector.client({ ...target, account: record.ref }, clientOptions);
      }
      if (tenant === DEFAULT_TENANT && options.kubeconfig?.handles(target.account)) return options.kubeconfig.client(target, clientOptions);
      throw new FerryNotFoundError(`no target named "${target.account}" in tenant "${tenant}": add one (kind kubeconfig or agent) before deploying to it`, {
        code: 'unknown_account',
        details: { account: target.account, tenant },
      });
    },
  };
}
