import { definePlugin, type FerryPluginV1 } from '@ferry/core';
import { kubeconfigConnector, type KubeconfigConnectorOptions } from './kubeconfig-connector.js';

/** `kubernetes({ contexts: ['staging', 'prod'] })`: targets reach clusters through kube contexts. */
export function kubernetes(options: KubeconfigConnectorOptions = {}): FerryPluginV1 {
  const connector = kubeconfigConnector(options);
  return definePlugin({ id: 'kubernetes', register: (ctx) => ctx.clusterConnectors.add(connector) });
}
