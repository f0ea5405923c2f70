import { arrayOf, crd, int, obj, opaque, resourceSchema, str, type CustomResourceDefinition } from './schema.js';

/**
 * Gateway API HTTPRoute (gateway.networking.k8s.io), served as v1 (stored) and v1beta1.
 * Typed as upstream for what traffic shifting relies on — parentRefs, hostnames and
 * rules[].backendRefs[] with `weight` (0..1,000,000, default 1) — with upstream's defaults for
 * backendRef kind, parentRef group/kind and rule matches (not backendRef group: see below);
 * filters and timeouts are kept as sent.
 */
const NAME = { minLength: 1, maxLength: 253 };

const parentRef = obj(
  {
    group: str({ default: 'gateway.networking.k8s.io', maxLength: 253 }),
    kind: str({ default: 'Gateway', minLength: 1, maxLength: 63 }),
    namespace: str({ minLength: 1, maxLength: 63 }),
    name: str(NAME),
    sectionName: str({ minLength: 1, maxLength: 253 }),
    port: int({ minimum: 1, maximum: 65535 }),
  },
  { required: ['name'] },
);

const backendRef = obj(
  {
    // Upstream defaults group to "" (the core group); Kubernetes 1.20 turns an empty-string
    // default into null and rejects the CRD, so here an absent group means the core group.
    group: str({ maxLength: 253 }),
    kind: str({ default: 'Service', minLength: 1, maxLength: 63 }),
    name: str(NAME),
    namespace: str({ minLength: 1, maxLength: 63 }),
    port: int({ minimum: 1, maximum: 65535 }),
    weight: int({ default: 1, minimum: 0, maximum: 1000000, format: 'int32', description: 'Proportion of requests sent to this backend, relative to the rule\'s other backends.' }),
    filters: arrayOf(opaque()),
  },
  { required: ['name'] },
);

const rule = obj({
  name: str({ minLength: 1, maxLength: 253 }),
  matches: arrayOf(opaque(), { maxItems: 64, default: [{ path: { type: 'PathPrefix', value: '/' } }] }),
  filters: arrayOf(opaque(), { maxItems: 16 }),
  backendRefs: arrayOf(backendRef, { maxItems: 16 }),
  timeouts: opaque(),
  retry: opaque(),
  sessionPersistence: opaque(),
});

const spec = obj({
  parentRefs: arrayOf(parentRef, { maxItems: 32 }),
  hostnames: arrayOf(str({ minLength: 1, maxLength: 253 }), { maxItems: 16 }),
  rules: arrayOf(rule, { maxItems: 16, default: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }] }),
});

const status = obj({
  parents: arrayOf(
    obj(
      {
        parentRef,
        controllerName: str({ minLength: 1, maxLength: 253 }),
        conditions: arrayOf(opaque(), { maxItems: 8 }),
      },
      { required: ['parentRef', 'controllerName'] },
    ),
    { maxItems: 32 },
  ),
});

export const httpRouteCrd: CustomResourceDefinition = crd({
  group: 'gateway.networking.k8s.io',
  kind: 'HTTPRoute',
  plural: 'httproutes',
  singular: 'httproute',
  categories: ['gateway-api'],
  versions: ['v1', 'v1beta1'],
  storageVersion: 'v1',
  schema: resourceSchema(spec, status),
  statusSubresource: true,
  // Groups under k8s.io must point at their API review; this is the one upstream's CRDs carry.
  annotations: {
    'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/2466',
    'gateway.networking.k8s.io/bundle-version': 'v1.2.1',
    'gateway.networking.k8s.io/channel': 'standard',
  },
  printerColumns: [
    { name: 'Hostnames', type: 'string', jsonPath: '.spec.hostnames' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

export const gatewayApiCrds: CustomResourceDefinition[] = [httpRouteCrd];
