import { describe, expect, it } from 'vitest';
import { CRD_BUNDLES } from './install.js';
import type { JsonSchema } from './schema.js';

const all = Object.values(CRD_BUNDLES).flat();

/** Paths of schema nodes that break apiextensions.k8s.io/v1's structural-schema rule (every node typed). */
function untyped(schema: JsonSchema, path = ''): string[] {
  const problems: string[] = [];
  if (!schema.type && !schema['x-kubernetes-int-or-string'] && !schema['x-kubernetes-preserve-unknown-fields']) problems.push(path || '<root>');
  for (const [key, child] of Object.entries(schema.properties ?? {})) problems.push(...untyped(child, `${path}.${key}`));
  if (schema.items) problems.push(...untyped(schema.items, `${path}[]`));
  if (schema.additionalProperties) problems.push(...untyped(schema.additionalProperties, `${path}{}`));
  return problems;
}

describe('CRD manifests', () => {
  it('include the kinds Ferry routes traffic with, in the versions their users write', () => {
    const served = Object.fromEntries(all.map((crd) => [`${crd.spec.group}/${crd.spec.names.kind}`, crd.spec.versions.map((v) => v.name)]));
    expect(served['split.smi-spec.io/TrafficSplit']).toContain('v1alpha2');
    expect(served['networking.istio.io/VirtualService']).toContain('v1beta1');
    expect(served['networking.istio.io/DestinationRule']).toContain('v1beta1');
    expect(served['gateway.networking.k8s.io/HTTPRoute']).toContain('v1');
  });

  it.each(all.map((crd) => [crd.metadata.name, crd] as const))('%s is named <plural>.<group>, stores one version and is structural', (_name, crd) => {
    expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.${crd.spec.group}`);
    expect(crd.spec.versions.filter((v) => v.storage)).toHaveLength(1);
    for (const version of crd.spec.versions) expect(untyped(version.schema.openAPIV3Schema)).toEqual([]);
  });

  it('types the weight fields traffic shifting writes', () => {
    const weight = (crd: (typeof all)[number], path: string[]) =>
      path.reduce<JsonSchema | undefined>((node, key) => (key === '[]' ? node?.items : node?.properties?.[key]), crd.spec.versions[0]!.schema.openAPIV3Schema);
    const [split] = CRD_BUNDLES.smi;
    const [virtualService] = CRD_BUNDLES.istio;
    const [route] = CRD_BUNDLES.gatewayApi;
    expect(weight(split!, ['spec', 'backends', '[]', 'weight'])?.type).toBe('integer');
    expect(weight(virtualService!, ['spec', 'http', '[]', 'route', '[]', 'weight'])?.type).toBe('integer');
    expect(weight(route!, ['spec', 'rules', '[]', 'backendRefs', '[]', 'weight'])).toMatchObject({ type: 'integer', default: 1, maximum: 1000000 });
  });

  it('carries the API-approval annotation that groups under k8s.io require', () => {
    for (const crd of all.filter((c) => c.spec.group.endsWith('.k8s.io'))) {
      expect(crd.metadata.annotations?.['api-approved.kubernetes.io']).toBeTruthy();
    }
  });
});
