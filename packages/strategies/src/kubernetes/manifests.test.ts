import type { ClusterClientV1, KubeObject } from '@ferry/core';
import { createFakeCluster } from '@ferry/core/testing';
import { describe, expect, it } from 'vitest';
import { applyOtherManifests } from './manifests.js';

const crd: KubeObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.acme.io' }, spec: { group: 'acme.io' } };
const widget: KubeObject = { apiVersion: 'acme.io/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 2 } };

/** The fake's client, logging calls, with the CRD read as not yet Established the first two times. */
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
      const established = reads > 2;
      log.push(`read ${ref.kind} ${established ? 'Established' : 'pending'}`);
      return established ? object : { ...object, status: {} };
    },
  };
}

describe('applyOtherManifests', () => {
  it('applies a custom resource only once its CRD is Established', async () => {
    const log: string[] = [];
    const client = logged(createFakeCluster().client('dev'), log);
    await applyOtherManifests(client, [widget, crd], 'shop', new AbortController().signal);
    expect(log).toEqual([
      'apply CustomResourceDefinition',
      'read CustomResourceDefinition pending',
      'read CustomResourceDefinition pending',
      'read CustomResourceDefinition Established',
      'apply Widget',
    ]);
  });
});
