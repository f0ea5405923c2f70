import type { KubeConfig } from '@kubernetes/client-node';
import { waitUntil } from '../cluster/health.js';
import { isStatus, KubeHttp, toKubeConfig } from '../node/kube-http.js';
import { gatewayApiCrds } from './gateway-api.js';
import { istioCrds } from './istio.js';
import type { CustomResourceDefinition } from './schema.js';
import { smiCrds } from './smi.js';

/** The CRD bundles `installCrds` knows, by the name callers pass. */
export const CRD_BUNDLES = {
  smi: smiCrds,
  istio: istioCrds,
  gatewayApi: gatewayApiCrds,
} satisfies Record<string, CustomResourceDefinition[]>;

export type CrdBundle = keyof typeof CRD_BUNDLES;

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

interface CrdWithStatus extends CustomResourceDefinition {
  metadata: CustomResourceDefinition['metadata'] & { resourceVersion?: string };
  status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}

/**
 * Creates (or updates to this package's version) the CRDs of the given bundles and waits until
 * the API server reports every one Established, i.e. serving its resources.
 */
export async function installCrds(
  kubeconfig: string | KubeConfig,
  bundles: CrdBundle[] = ['smi', 'istio', 'gatewayApi'],
  options: { timeoutMs?: number } = {},
): Promise<string[]> {
  const crds = bundles.flatMap((bundle) => {
    const list = CRD_BUNDLES[bundle];
    if (!list) throw new Error(`unknown CRD bundle '${String(bundle)}'; known: ${Object.keys(CRD_BUNDLES).join(', ')}`);
    return list;
  });
  const http = await KubeHttp.fromKubeConfig(toKubeConfig(kubeconfig), { timeoutMs: 30_000 });
  try {
    for (const crd of crds) await applyCrd(http, crd);
    const timeoutMs = options.timeoutMs ?? 60_000;
    await Promise.all(crds.map((crd) => waitForEstablished(http, crd.metadata.name, timeoutMs)));
    return crds.map((crd) => crd.metadata.name);
  } finally {
    http.close();
  }
}

async function applyCrd(http: KubeHttp, crd: CustomResourceDefinition): Promise<void> {
  try {
    await http.post(CRD_PATH, crd);
  } catch (error) {
    if (!isStatus(error, 409)) throw error;
    // Already there: replace its spec with ours, keeping the server's resourceVersion.
    const current = await http.get<CrdWithStatus>(`${CRD_PATH}/${crd.metadata.name}`);
    await http.put(`${CRD_PATH}/${crd.metadata.name}`, {
      ...crd,
      metadata: { ...crd.metadata, resourceVersion: current.metadata.resourceVersion },
    });
  }
}

async function waitForEstablished(http: KubeHttp, name: string, timeoutMs: number): Promise<void> {
  await waitUntil(
    async () => {
      const crd = await http.get<CrdWithStatus>(`${CRD_PATH}/${name}`);
      const conditions = crd.status?.conditions ?? [];
      const rejected = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False');
      // Reported as the last error if it never resolves.
      if (rejected) throw new Error(`names not accepted: ${rejected.message ?? rejected.reason ?? ''}`);
      return conditions.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
    },
    { what: `CRD ${name} to become Established`, timeoutMs, intervalMs: 200 },
  );
}

/** Deletes the CRDs of the given bundles (and with them every custom resource of their kinds). */
export async function uninstallCrds(kubeconfig: string | KubeConfig, bundles: CrdBundle[] = ['smi', 'istio', 'gatewayApi']): Promise<void> {
  const http = await KubeHttp.fromKubeConfig(toKubeConfig(kubeconfig), { timeoutMs: 30_000 });
  try {
    for (const crd of bundles.flatMap((bundle) => CRD_BUNDLES[bundle])) {
      try {
        await http.delete(`${CRD_PATH}/${crd.metadata.name}`);
      } catch (error) {
        if (!isStatus(error, 404)) throw error;
      }
    }
  } finally {
    http.close();
  }
}
