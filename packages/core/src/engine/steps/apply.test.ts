import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../config/types.js';
import type { ClusterClientV1, StepContextV1 } from '../../plugins/contracts.js';
import { createFakeCluster } from '../../testing/index.js';
import { applyStepKind } from './apply.js';

const crd: KubeObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.acme.io' }, spec: { group: 'acme.io' } };
const widget: KubeObject = { apiVersion: 'acme.io/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'shop' }, spec: { size: 2 } };
const config: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { a: '1' } };

/** The fake's client, logging calls, with the CRD read as not yet Established the first time. */
function logged(client: ClusterClientV1, log: string[]): ClusterClientV1 {
  let reads = 0;
  return {
    ...client,
    async apply(object, opts) {
      log.push(`apply ${object.kind}`);
      return client.apply(object, opts);
    },
    async get(ref, opts) {
      const object = await client.get(ref, opts);
      if (ref.kind !== 'CustomResourceDefinition' || !object) return object;
      reads += 1;
      log.push(`read ${ref.kind} ${reads > 1 ? 'Established' : 'pending'}`);
      return reads > 1 ? object : { ...object, status: {} };
    },
  };
}

describe('the apply step', () => {
  it('applies CRDs first and the rest only once they are Established', async () => {
    const log: string[] = [];
    const client = logged(createFakeCluster().client('dev'), log);
    // Only what the apply step reads of its context.
    const ctx = { cluster: async () => client, manifests: [widget, config, crd], signal: new AbortController().signal } as unknown as StepContextV1;
    const outcome = await applyStepKind().run(ctx);
    expect(outcome).toEqual({ status: 'succeeded', state: { applied: ['CustomResourceDefinition/widgets.acme.io', 'Widget/w1', 'ConfigMap/cfg'] } });
    expect(log).toEqual(['apply CustomResourceDefinition', 'read CustomResourceDefinition pending', 'read CustomResourceDefinition Established', 'apply Widget', 'apply ConfigMap']);
  });

  it('applies nothing after a CRD that never becomes Established', async () => {
    const cluster = createFakeCluster({ neverEstablishedCrds: /^widgets\./ });
    const controller = new AbortController();
    const ctx = { cluster: async () => cluster.client('dev'), manifests: [widget, crd], signal: controller.signal } as unknown as StepContextV1;
    setTimeout(() => controller.abort(new Error('step cancelled')), 300);
    await expect(applyStepKind().run(ctx)).rejects.toThrow('step cancelled');
    expect(cluster.operations().map((o) => o.ref.kind)).toEqual(['CustomResourceDefinition']);
  });
});
