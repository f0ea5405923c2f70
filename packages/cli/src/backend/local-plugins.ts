import type { FerryPluginV1 } from '@ferry/core';
import { kubernetes } from '@ferry/integrations/kubernetes';
import { prometheus } from '@ferry/integrations/metrics';
import { trafficProviders } from '@ferry/integrations/traffic';
import { webhooks } from '@ferry/integrations/webhooks';
import { stockPlugins } from '../plan.js';

export interface LocalPluginOptions {
  kubeconfigPath?: string;
  /** Where webhook callbacks reach this process. */
  callbackBaseUrl: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Local mode's engine: the stock strategies and judges, clusters by kube context, every
 * traffic provider, webhooks, and a Prometheus named `prometheus` when FERRY_PROMETHEUS_URL is set.
 */
export function localPlugins(options: LocalPluginOptions): FerryPluginV1[] {
  const plugins = [
    ...stockPlugins(),
    kubernetes(options.kubeconfigPath ? { kubeconfigPath: options.kubeconfigPath } : {}),
    trafficProviders(),
    webhooks({ callbackBaseUrl: options.callbackBaseUrl }),
  ];
  const prometheusUrl = options.env.FERRY_PROMETHEUS_URL;
  if (prometheusUrl) plugins.push(prometheus({ name: options.env.FERRY_PROMETHEUS_NAME || 'prometheus', url: prometheusUrl }));
  return plugins;
}
