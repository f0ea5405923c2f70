import { describe, expect, it } from 'vitest';
import { FerryInputError, FerryNotFoundError, type KubeObject } from '@ferry/core';
import { useTestNamespace } from '@ferry/devcluster/vitest';
import { kubeconfigConnector } from './kubeconfig-connector.js';

const FIELD_MANAGER = 'ferry';

function configMap(namespace: string, name: string, data: Record<string, string>, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data };
}

describe('kubeconfig connector against a real API server', () => {
  const ns = useTestNamespace({ prefix: 'k8s-connector' });

  async function client() {
    const connector = kubeconfigConnector({ kubeconfigPath: ns.current.kubeconfigPath });
    const context = ns.current.kubeConfig.getCurrentContext();
    expect(connector.handles(context)).toBe(true);
    return connector.client({ account: context, namespace: ns.current.name });
  }

  it('server-side applies, reads, lists, patches and deletes objects', async () => {
    const cluster = await client();
    const namespace = ns.current.name;
    const applied = await cluster.apply(configMap(namespace, 'settings', { color: 'blue' }, { app: 'shop' }), {
      fieldManager: FIELD_MANAGER,
    });
    expect(applied.metadata.uid).toEqual(expect.any(String));
    const managers = (applied.metadata.managedFields as Array<{ manager: string; operation: string }>).map((f) => [f.manager, f.operation]);
    expect(managers).toContainEqual([FIELD_MANAGER, 'Apply']);

    // Applying the same object again changes nothing: the step that did it can safely re-run.
    const again = await cluster.apply(configMap(namespace, 'settings', { color: 'blue' }, { app: 'shop' }), { fieldManager: FIELD_MANAGER });
    expect(again.metadata.resourceVersion).toBe(applied.metadata.resourceVersion);

    await cluster.apply(configMap(namespace, 'other', { x: '1' }, { app: 'other' }), { fieldManager: FIELD_MANAGER });
    const listed = await cluster.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace, labelSelector: 'app=shop' });
    expect(listed.map((o) => [o.apiVersion, o.kind, o.metadata.name])).toEqual([['v1', 'ConfigMap', 'settings']]);

    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace };
    const patched = await cluster.patch(ref, { data: { color: 'green', size: 'L' } });
    expect(patched.data).toEqual({ color: 'green', size: 'L' });
    expect((await cluster.get(ref))?.data).toEqual({ color: 'green', size: 'L' });

    expect(await cluster.delete(ref)).toBe(true);
    expect(await cluster.get(ref)).toBeNull();
    expect(await cluster.delete(ref)).toBe(false);
  });

  it('scales a ReplicaSet with a merge patch, the way strategies do', async () => {
    const cluster = await client();
    const namespace = ns.current.name;
    const labels = { app: 'web', 'ferry.dev/pod-template-hash': 'abc123' };
    await cluster.apply(
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'web-abc123', namespace },
        spec: {
          replicas: 0,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'ferry/sample-app:v1' }] } },
        },
      },
      { fieldManager: FIELD_MANAGER },
    );
    const scaled = await cluster.patch({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc123', namespace }, { spec: { replicas: 2 } });
    expect((scaled.spec as { replicas: number }).replicas).toBe(2);
  });

  it("names the object and repeats the API server's message when it refuses one", async () => {
    const cluster = await client();
    const namespace = ns.current.name;
    const invalid: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken', namespace },
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [] } } },
    };
    const error = await cluster.apply(invalid, { fieldManager: FIELD_MANAGER }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryInputError);
    expect((error as Error).message).toContain(`Deployment/broken in namespace ${namespace}`);
    expect((error as Error).message).toMatch(/selector.*does not match template labels|containers: Required value/);

    const missing = await cluster
      .patch({ apiVersion: 'v1', kind: 'ConfigMap', name: 'nope', namespace }, { data: { a: 'b' } })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(FerryNotFoundError);
    expect((missing as Error).message).toContain('ConfigMap/nope');
  });

  it('refuses accounts it does not know and stops at an aborted signal', async () => {
    const connector = kubeconfigConnector({ kubeconfigPath: ns.current.kubeconfigPath });
    expect(connector.handles('no-such-context')).toBe(false);
    await expect(connector.client({ account: 'no-such-context', namespace: 'x' })).rejects.toThrow(/no kube context "no-such-context"/);

    const cluster = await client();
    const controller = new AbortController();
    controller.abort(new Error('deployment cancelled'));
    await expect(
      cluster.apply(configMap(ns.current.name, 'never', { a: 'b' }), { fieldManager: FIELD_MANAGER, signal: controller.signal }),
    ).rejects.toThrow('deployment cancelled');
    expect(await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'never', namespace: ns.current.name })).toBeNull();
  });

  it('rejects bad plugin options, naming the plugin and the option', () => {
    expect(() => kubeconfigConnector({ contexts: 'prod' } as never)).toThrow(/plugin "kubernetes": invalid options: contexts/);
    expect(() => kubeconfigConnector({ kubeconfigPath: '/nonexistent/kubeconfig' })).toThrow(/plugin "kubernetes": cannot read kubeconfig/);
  });
});
