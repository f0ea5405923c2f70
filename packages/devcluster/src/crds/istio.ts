import { arrayOf, crd, int, obj, opaque, openObj, resourceSchema, str, stringMap, type CustomResourceDefinition } from './schema.js';

/**
 * Istio's VirtualService and DestinationRule (networking.istio.io). The upstream schemas run to
 * thousands of lines; these type what traffic shifting uses (hosts, http routes with weighted
 * destinations, subsets by label) and keep every other field as sent
 * (x-kubernetes-preserve-unknown-fields), so real Istio manifests apply unchanged.
 * Served as v1alpha3 (stored, as upstream), v1beta1 and v1, all with the same schema.
 */
const VERSIONS = ['v1alpha3', 'v1beta1', 'v1'];
const STORAGE = 'v1alpha3';

const portSelector = obj({ number: int({ minimum: 0, maximum: 4294967295 }) });

const destination = openObj(
  {
    host: str({ description: 'Service registry name of the destination, e.g. reviews or reviews.prod.svc.cluster.local.' }),
    subset: str({ description: 'A subset defined in the host\'s DestinationRule.' }),
    port: portSelector,
  },
  { required: ['host'] },
);

const routeDestination = openObj(
  {
    destination,
    weight: int({ minimum: 0, description: 'Share of the traffic, relative to the other destinations of the route.' }),
    headers: opaque(),
  },
  { required: ['destination'] },
);

const httpRoute = openObj({
  name: str(),
  match: arrayOf(opaque()),
  route: arrayOf(routeDestination),
  redirect: opaque(),
  rewrite: opaque(),
  timeout: str(),
  retries: opaque(),
  fault: opaque(),
  mirror: opaque(),
  headers: opaque(),
  corsPolicy: opaque(),
});

const virtualServiceSpec = openObj({
  hosts: arrayOf(str()),
  gateways: arrayOf(str()),
  http: arrayOf(httpRoute),
  tls: arrayOf(opaque()),
  tcp: arrayOf(opaque()),
  exportTo: arrayOf(str()),
});

export const virtualServiceCrd: CustomResourceDefinition = crd({
  group: 'networking.istio.io',
  kind: 'VirtualService',
  plural: 'virtualservices',
  singular: 'virtualservice',
  shortNames: ['vs'],
  categories: ['istio-io', 'networking-istio-io'],
  versions: VERSIONS,
  storageVersion: STORAGE,
  schema: resourceSchema(virtualServiceSpec),
  statusSubresource: true,
  printerColumns: [
    { name: 'Gateways', type: 'string', jsonPath: '.spec.gateways', description: 'The names of gateways and sidecars that should apply these routes' },
    { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'The destination hosts to which traffic is being sent' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

const subset = openObj(
  {
    name: str({ description: 'Name of the subset, referenced by VirtualService routes.' }),
    labels: stringMap({ description: 'Pod labels selecting the subset\'s endpoints.' }),
    trafficPolicy: opaque(),
  },
  { required: ['name'] },
);

const destinationRuleSpec = openObj(
  {
    host: str({ description: 'The service this rule applies to.' }),
    trafficPolicy: opaque(),
    subsets: arrayOf(subset),
    exportTo: arrayOf(str()),
    workloadSelector: opaque(),
  },
  { required: ['host'] },
);

export const destinationRuleCrd: CustomResourceDefinition = crd({
  group: 'networking.istio.io',
  kind: 'DestinationRule',
  plural: 'destinationrules',
  singular: 'destinationrule',
  shortNames: ['dr'],
  categories: ['istio-io', 'networking-istio-io'],
  versions: VERSIONS,
  storageVersion: STORAGE,
  schema: resourceSchema(destinationRuleSpec),
  statusSubresource: true,
  printerColumns: [
    { name: 'Host', type: 'string', jsonPath: '.spec.host', description: 'The name of a service from the service registry' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

export const istioCrds: CustomResourceDefinition[] = [virtualServiceCrd, destinationRuleCrd];
