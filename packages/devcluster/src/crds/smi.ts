import { arrayOf, crd, int, obj, resourceSchema, str, type CustomResourceDefinition } from './schema.js';

/**
 * SMI TrafficSplit (split.smi-spec.io), as Linkerd's SMI extension and Flagger use it:
 * `spec.service` is the apex (root) Service clients call, `spec.backends` the Services that
 * receive its traffic in proportion to their integer `weight`. v1alpha2 is the stored version;
 * v1alpha3 (same fields plus `matches`) is served too.
 */
const backend = obj(
  {
    service: str({ description: 'Name of the Kubernetes Service that receives this share of the traffic.' }),
    weight: int({ minimum: 0, description: 'Relative weight of this backend.' }),
  },
  { required: ['service', 'weight'] },
);

const spec = obj(
  {
    service: str({ description: 'The apex Service: clients send to it, and the split decides where its traffic goes.' }),
    backends: arrayOf(backend, { description: 'Services receiving the apex service\'s traffic, by weight.' }),
    matches: arrayOf(
      obj({ kind: str(), name: str(), apiGroup: str() }, { required: ['kind', 'name'] }),
      { description: 'v1alpha3: routes (HTTPRouteGroup) the split applies to.' },
    ),
  },
  { required: ['service', 'backends'] },
);

export const trafficSplitCrd: CustomResourceDefinition = crd({
  group: 'split.smi-spec.io',
  kind: 'TrafficSplit',
  plural: 'trafficsplits',
  singular: 'trafficsplit',
  shortNames: ['ts'],
  versions: ['v1alpha2', 'v1alpha3'],
  storageVersion: 'v1alpha2',
  schema: resourceSchema(spec),
  statusSubresource: false,
  printerColumns: [{ name: 'Service', type: 'string', jsonPath: '.spec.service', description: 'The apex service of this split.' }],
});

export const smiCrds: CustomResourceDefinition[] = [trafficSplitCrd];
