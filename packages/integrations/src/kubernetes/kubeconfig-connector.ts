import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { FerryInputError, FerryNotFoundError, parsePluginOptions, type ClusterClientV1, type ClusterConnectorV1 } from '@ferry/core';
import { createKubeClusterClient } from './cluster-client.js';


export const kubeconfigConnectorOptions = z
  .object({
    /** A kubeconfig file; default: $KUBECONFIG or ~/.kube/config. */
    kubeconfigPath: z.string().min(1).optional(),
    /** Only these contexts are deployment targets; default: every context in the file. */
    contexts: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type KubeconfigConnectorOptions = z.input<typeof kubeconfigConnectorOptions>;

/**
 * Reaches clusters through kube contexts: a target's `account` is a context name. This is
 * how local mode (`ferry deploy start` without a hub) reaches clusters.
 */
export function kubeconfigConnector(options: KubeconfigConnectorOptions = {}): ClusterConnectorV1 {
  const parsed = parsePluginOptions('kubernetes', kubeconfigConnectorOptions, options);
  const base = new KubeConfig();
  try {
    if (parsed.kubeconfigPath) base.loadFromFile(parsed.kubeconfigPath);
    else base.loadFromDefault();
  } catch (error) {
    throw new FerryInputError(
      `plugin "kubernetes": cannot read kubeconfig ${parsed.kubeconfigPath ?? '(default)'}: ${(error as Error).message}`,
      { cause: error, code: 'invalid_plugin_options' },
    );
  }
  const known = new Set(base.getContexts().map((context) => context.name));
  const allowed = parsed.contexts ? new Set(parsed.contexts) : known;
  const clients = new Map<string, ClusterClientV1>();

  return {
    specificationVersion: 'v1',
    kind: 'kubernetes',
    handles: (account) => known.has(account) && allowed.has(account),
    async client(target) {
      const cached = clients.get(target.account);
      if (cached) return cached;
      if (!known.has(target.account) || !allowed.has(target.account)) {
        throw new FerryNotFoundError(
          `no kube context "${target.account}"${parsed.contexts ? ' among the allowed contexts' : ''} (known: ${[...allowed].join(', ') || 'none'})`,
          { code: 'unknown_account' },
        );
      }
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromString(base.exportConfig());
      kubeConfig.setCurrentContext(target.account);
      const client = createKubeClusterClient(kubeConfig, { label: target.account });
      clients.set(target.account, client);
      return client;
    },
  };
}
