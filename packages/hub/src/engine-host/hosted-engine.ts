import { createEngine, type ClusterConnectorV1, type FerryEngine, type HttpTransportV1, type LoggerV1, type StoreV1 } from '@ferry/core';
import { kubeconfigConnector } from '@ferry/integrations/kubernetes';
import { trafficProviders } from '@ferry/integrations/traffic';
import { webhooks } from '@ferry/integrations/webhooks';
import { blueGreen, canary, mannWhitneyJudgePlugin, thresholdJudgePlugin } from '@ferry/strategies';
import { definePlugin } from '@ferry/core';
import type { HubRepositories } from '../contracts.js';
import type { PreviewLinks } from '../preview/index.js';
import { exposeServicesPlugin } from './expose-services-plugin.js';
import { tenantClusterConnector } from './tenant-cluster-connector.js';
import type { TenantMetricProviders } from './tenant-metric-providers.js';

export interface HostedEngineOptions {
  store: StoreV1;
  repositories: HubRepositories;
  metricProviders: TenantMetricProviders;
  /** The lease owner: the replica's name. */
  owner: string;
  leaseTtlMs: number;
  pollIntervalMs?: number;
  /** The hub's kubeconfig; its contexts are `kubeconfig` targets. */
  kubeconfig?: string;
  /** Connectors for `agent` targets (the Agent Hub's extension point). */
  agentConnectors: ClusterConnectorV1[];
  /**
   * Webhooks with `networkMode: remoteNetworkAgent` go through the deployment tenant's agents.
   */
  agentTransports?: (tenant: string) => { get(agentIdentifier: string): HttpTransportV1 | undefined };
  /** Preview links for `exposeServices` steps (absent: the step fails, naming what is missing). */
  previews?: PreviewLinks;
  /** The hub's URL: webhook callbacks come back here. */
  baseUrl: string;
  logger: LoggerV1;
}

/**
 * The hub's one engine: every strategy, judge, traffic provider and webhook step; clusters
 * and metric providers resolved per deployment tenant; `{{secrets.NAME}}` from the tenant's vault.
 */
export function createHostedEngine(options: HostedEngineOptions): FerryEngine {
  const kube = options.kubeconfig ? kubeconfigConnector({ kubeconfigPath: options.kubeconfig }) : undefined;
  const clusters = tenantClusterConnector({ targets: options.repositories.targets, ...(kube ? { kubeconfig: kube } : {}), agentConnectors: options.agentConnectors });
  return createEngine({
    store: options.store,
    owner: options.owner,
    leaseTtlMs: options.leaseTtlMs,
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    logger: options.logger,
    plugins: [
      canary(),
      blueGreen(),
      thresholdJudgePlugin(),
      mannWhitneyJudgePlugin(),
      trafficProviders(),
      webhooks({
        callbackBaseUrl: options.baseUrl,
        ...(options.agentTransports
          ? { agentTransports: { get: (agent: string, tenant?: string) => (options.agentTransports as NonNullable<HostedEngineOptions['agentTransports']>)(tenant ?? 'default').get(agent) } }
          : {}),
      }),
      exposeServicesPlugin(options.previews),
      definePlugin({ id: 'hub.clusters', register: (ctx) => ctx.clusterConnectors.add(clusters) }),
    ],
    secrets: (name, scope) => options.repositories.secrets.reveal(scope.tenant, name),
    resolveMetricProvider: (name, scope) => options.metricProviders.lazy(scope.tenant, name),
  });
}
