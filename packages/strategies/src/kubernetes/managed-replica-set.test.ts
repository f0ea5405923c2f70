import { FerryInputError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { webDeployment } from '../test-support/harness.js';
import { managedReplicaSet } from './managed-replica-set.js';
import { inNamespace } from './objects.js';
import { podTemplateHash } from './pod-template-hash.js';

const facts = { application: 'shop-web', deploymentId: 'dep-42', environment: 'prod' };

describe('managedReplicaSet', () => {
  const deployment = inNamespace(webDeployment('web:2', { replicas: 3 }), 'shop');
  const set = managedReplicaSet(deployment, facts);
  const rs = set.object(2);
  const spec = rs.spec as {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: { containers: Array<{ env: Array<{ name: string; value: string }> }> } };
  };

  it('is named <deployment>-<hash of the user template>', () => {
    const hash = podTemplateHash((deployment.spec as { template: unknown }).template);
    expect(set.hash).toBe(hash);
    expect(set.name).toBe(`web-${hash}`);
    expect(rs.metadata).toMatchObject({ name: `web-${hash}`, namespace: 'shop' });
    expect(set.total).toBe(3);
    expect(spec.replicas).toBe(2);
  });

  it('does not depend on the deployment id', () => {
    expect(managedReplicaSet(deployment, { ...facts, deploymentId: 'other' }).name).toBe(set.name);
  });

  it('adds the version labels to the selector and the pod labels', () => {
    expect(spec.selector.matchLabels).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': set.hash, 'armory-pod-template-hash': set.hash });
    expect(spec.template.metadata.labels).toEqual({ app: 'web', 'ferry.dev/pod-template-hash': set.hash, 'armory-pod-template-hash': set.hash });
  });

  it("labels the ReplicaSet with Ferry's labels only, so no Deployment selector adopts it", () => {
    expect(rs.metadata.labels).toEqual({
      'ferry.dev/deployment': 'web',
      'ferry.dev/pod-template-hash': set.hash,
      'armory-pod-template-hash': set.hash,
      'app.kubernetes.io/managed-by': 'ferry',
    });
  });

  it('annotates the pods with the deployment facts (reference and Ferry names)', () => {
    expect(spec.template.metadata.annotations).toEqual({
      'deploy.armory.io/application': 'shop-web',
      'ferry.dev/application': 'shop-web',
      'deploy.armory.io/deployment-id': 'dep-42',
      'ferry.dev/deployment-id': 'dep-42',
      'deploy.armory.io/environment': 'prod',
      'ferry.dev/environment': 'prod',
      'deploy.armory.io/replica-set-name': set.name,
      'ferry.dev/replica-set-name': set.name,
    });
  });

  it('sets the env vars on every container, keeping the user’s own', () => {
    const multi = inNamespace(webDeployment('web:2'), 'shop');
    const podSpec = (multi.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    podSpec.containers = [
      { name: 'web', image: 'web:2', env: [{ name: 'ARMORY_ENVIRONMENT_NAME', value: 'stale' }, { name: 'KEEP', value: '1' }] },
      { name: 'sidecar', image: 'proxy:1' },
    ];
    podSpec.initContainers = [{ name: 'init', image: 'init:1' }];
    const template = (managedReplicaSet(multi, facts).object(1).spec as { template: { spec: { containers: Array<{ env: unknown[] }>; initContainers: Array<{ env: unknown[] }> } } }).template.spec;
    const ours = (name: string) => expect.arrayContaining([{ name: 'ARMORY_APPLICATION_NAME', value: 'shop-web' }, { name: 'ARMORY_DEPLOYMENT_ID', value: 'dep-42' }, { name: 'ARMORY_ENVIRONMENT_NAME', value: 'prod' }, { name: 'ARMORY_REPLICA_SET_NAME', value: name }]);
    const name = managedReplicaSet(multi, facts).name;
    for (const c of [...template.containers, ...template.initContainers]) {
      expect(c.env).toEqual(ours(name));
      expect(c.env.filter((e) => (e as { name: string }).name === 'ARMORY_ENVIRONMENT_NAME')).toHaveLength(1);
    }
    expect(template.containers[0]?.env).toContainEqual({ name: 'KEEP', value: '1' });
  });

  it('rejects a Deployment without a template or selector', () => {
    const broken = inNamespace({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: {} }, 'shop');
    expect(() => managedReplicaSet(broken, facts)).toThrow(FerryInputError);
  });
});
