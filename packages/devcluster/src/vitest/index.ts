import { randomBytes } from 'node:crypto';
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { afterEach, beforeEach, inject } from 'vitest';
import { waitUntil } from '../cluster/health.js';
import { PROVIDE_KEY, type ProvidedDevcluster } from './provided.js';

export type { ProvidedDevcluster } from './provided.js';
export { devclusterGlobalSetup, type DevclusterSetupOptions } from './global-setup.js';

/** Every dev cluster the global setup started, in order. */
export function devclusters(): ProvidedDevcluster[] {
  const clusters = inject(PROVIDE_KEY);
  if (!clusters || clusters.length === 0) {
    throw new Error(
      "no dev cluster was provided: add globalSetup: ['@ferry/devcluster/vitest/global-setup'] (or your own devclusterGlobalSetup()) to the vitest config",
    );
  }
  return clusters;
}

/** The `index`-th dev cluster (0-based); asks for more with FERRY_DEVCLUSTER_CLUSTERS or the setup's `clusters` option. */
export function devcluster(index = 0): ProvidedDevcluster {
  const clusters = devclusters();
  const cluster = clusters[index];
  if (!cluster) throw new Error(`dev cluster #${index} requested but only ${clusters.length} started; set FERRY_DEVCLUSTER_CLUSTERS=${index + 1}`);
  return cluster;
}

export interface TestNamespace {
  name: string;
  cluster: ProvidedDevcluster;
  kubeconfigPath: string;
  /** A KubeConfig for the cluster whose context's namespace is this one. */
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  /** Generic client for any kind, including custom resources. */
  objects: KubernetesObjectApi;
  /** Deletes the namespace (and with it everything in it); idempotent. */
  delete(): Promise<void>;
}

export interface TestNamespaceOptions {
  /** Which dev cluster (0-based, default 0). */
  cluster?: number;
  /** Name prefix (default `test`); a random suffix makes it unique. */
  prefix?: string;
  /** Wait until the namespace's `default` ServiceAccount has its token, so pods are admitted at once (default true). */
  waitForServiceAccount?: boolean;
}

export const TEST_NAMESPACE_LABEL = 'ferry.dev/test-namespace';

/** Creates a fresh, uniquely named namespace in a dev cluster with ready-made clients. Call `delete()` when done. */
export async function createTestNamespace(options: TestNamespaceOptions = {}): Promise<TestNamespace> {
  const cluster = devcluster(options.cluster ?? 0);
  const prefix = (options.prefix ?? 'test').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'test';
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(cluster.kubeconfigPath);
  const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext());
  if (context) {
    kubeConfig.contexts = kubeConfig.contexts.map((c) => (c.name === context.name ? { ...c, namespace: name } : c));
  }
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name, labels: { [TEST_NAMESPACE_LABEL]: 'true' } } } });
  let deleted = false;
  const namespace: TestNamespace = {
    name,
    cluster,
    kubeconfigPath: cluster.kubeconfigPath,
    kubeConfig,
    core,
    apps: kubeConfig.makeApiClient(AppsV1Api),
    objects: KubernetesObjectApi.makeApiClient(kubeConfig),
    delete: async () => {
      if (deleted) return;
      deleted = true;
      try {
        await core.deleteNamespace({ name });
      } catch (error) {
        if ((error as { code?: number }).code !== 404) throw error;
      }
    },
  };
  if (options.waitForServiceAccount ?? true) {
    try {
      await waitUntil(
        async () => {
          const account = await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
          return (account.secrets?.length ?? 0) > 0 ? true : undefined;
        },
        { what: `the default ServiceAccount token in namespace ${name}`, timeoutMs: 60_000, intervalMs: 200 },
      );
    } catch (error) {
      await namespace.delete().catch(() => undefined);
      throw error;
    }
  }
  return namespace;
}

/**
 * Gives every test in the enclosing scope its own fresh namespace, created before each test and
 * deleted after it. Read it inside a test: `const ns = useTestNamespace(); it('…', () => ns.current.name)`.
 */
export function useTestNamespace(options: TestNamespaceOptions = {}): { readonly current: TestNamespace } {
  let current: TestNamespace | undefined;
  beforeEach(async () => {
    current = await createTestNamespace(options);
  });
  afterEach(async () => {
    const namespace = current;
    current = undefined;
    await namespace?.delete();
  });
  return {
    get current(): TestNamespace {
      if (!current) throw new Error('useTestNamespace(): the namespace exists only while a test runs (read .current inside it)');
      return current;
    },
  };
}
