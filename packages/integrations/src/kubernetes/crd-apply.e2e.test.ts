import { createEngine, parseDeployFile, type FerryEngine, type KubeObject } from '@ferry/core';
import { MemoryStore } from '@ferry/core/testing';
import { useTestNamespace } from '@ferry/devcluster/vitest';
import { canary } from '@ferry/strategies';
import { afterEach, describe, expect, it } from 'vitest';
import { kubernetes } from './plugin.js';

/**
 * A CRD and a custom resource of it in one deployment, the resource listed first: Ferry
 * applies the CRD, waits until it is Established, then applies the resource, both for a
 * strategy-less target (core's apply step) and a canary one (the strategy's deploy step).
 */
const ns = useTestNamespace({ prefix: 'crd-apply' });
const DONE = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED'];

let engine: FerryEngine | undefined;
let crdName: string | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  if (crdName) await ns.current.objects.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: crdName } } as never);
  crdName = undefined;
});

const DEPLOYMENT = `      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, labels: {app: web}}
      spec:
        replicas: 1
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: web
                image: ferry/sample-app:v1
                ports: [{name: http, containerPort: 8080, protocol: TCP}]
`;

function deployFile(group: string, withCanary: boolean) {
  return parseDeployFile(`version: v1
kind: kubernetes
application: crd
deploymentConfig:
  timeout: {duration: 120, unit: seconds}
targets:
  dev:
    account: ${ns.current.kubeConfig.getCurrentContext()}
    namespace: ${ns.current.name}
${withCanary ? '    strategy: canary\nstrategies:\n  canary:\n    canary:\n      steps:\n        - setWeight: 50\n' : ''}manifests:
  - inline: |
      apiVersion: ${group}/v1
      kind: Widget
      metadata: {name: w1}
      spec: {size: 3}
      ---
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.${group}}
      spec:
        group: ${group}
        scope: Namespaced
        names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, properties: {size: {type: integer}}}
${withCanary ? DEPLOYMENT : ''}`);
}

async function deploy(withCanary: boolean): Promise<KubeObject> {
  const group = `${ns.current.name}.ferry.test`;
  crdName = `widgets.${group}`;
  engine = createEngine({ store: new MemoryStore(), plugins: [canary({ pollIntervalMs: 500 }), kubernetes({ kubeconfigPath: ns.current.kubeconfigPath })] });
  const d = await engine.start(await deployFile(group, withCanary));
  const deadline = Date.now() + 90_000;
  let state = (await engine.get(d.id)).state;
  while (!DONE.includes(state.status) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    state = (await engine.get(d.id)).state;
  }
  const why = [state.reason, ...Object.values(state.targets).map((t) => t.reason)].filter(Boolean).join('; ');
  expect(state.status, why).toBe('SUCCEEDED');
  return (await ns.current.objects.read({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1', namespace: ns.current.name } })) as unknown as KubeObject;
}

describe('a CRD and a resource of it in one deployment on the dev cluster', () => {
  it('applies both with a strategy-less target', async () => {
    expect((await deploy(false)).spec).toEqual({ size: 3 });
  });

  it('applies both with a canary target', async () => {
    expect((await deploy(true)).spec).toEqual({ size: 3 });
  });
});
