/**
 * Tiny builders for structural OpenAPI v3 schemas (every node typed, as apiextensions.k8s.io/v1
 * requires), so the CRD files read like the upstream ones without pages of boilerplate.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema;
  enum?: unknown[];
  format?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
}

export const str = (extra: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'string', ...extra });
export const int = (extra: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'integer', ...extra });
export const bool = (extra: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'boolean', ...extra });
export const arrayOf = (items: JsonSchema, extra: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'array', items, ...extra });
export const stringMap = (extra: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'object', additionalProperties: { type: 'string' }, ...extra });

export function obj(properties: Record<string, JsonSchema>, extra: Partial<JsonSchema> = {}): JsonSchema {
  return { type: 'object', properties, ...extra };
}

/** An object whose fields we don't spell out (the upstream schema is huge); the API server keeps them as sent. */
export function opaque(description?: string): JsonSchema {
  return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...(description ? { description } : {}) };
}

/** A typed object that also keeps fields we did not list. */
export function openObj(properties: Record<string, JsonSchema>, extra: Partial<JsonSchema> = {}): JsonSchema {
  return { type: 'object', properties, 'x-kubernetes-preserve-unknown-fields': true, ...extra };
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: JsonSchema };
  subresources?: { status?: Record<string, never> };
  additionalPrinterColumns?: Array<{ name: string; type: string; jsonPath: string; description?: string }>;
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[]; categories?: string[] };
    scope: 'Namespaced' | 'Cluster';
    versions: CrdVersion[];
  };
}

/** The top-level schema of a custom resource: apiVersion, kind, metadata, spec and status. */
export function resourceSchema(spec: JsonSchema, status: JsonSchema = opaque()): JsonSchema {
  return obj({ apiVersion: str(), kind: str(), metadata: { type: 'object' }, spec, status }, { required: ['spec'] });
}

/** One CRD serving several versions with the same schema (conversion strategy None, as upstream does for these). */
export function crd(args: {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  versions: string[];
  storageVersion: string;
  schema: JsonSchema;
  printerColumns?: CrdVersion['additionalPrinterColumns'];
  annotations?: Record<string, string>;
  /** Whether .status is a subresource (true for Istio and Gateway API, false for SMI). */
  statusSubresource: boolean;
}): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${args.plural}.${args.group}`, ...(args.annotations ? { annotations: args.annotations } : {}), labels: { 'app.kubernetes.io/managed-by': 'ferry-devcluster' } },
    spec: {
      group: args.group,
      names: {
        kind: args.kind,
        listKind: `${args.kind}List`,
        plural: args.plural,
        singular: args.singular,
        ...(args.shortNames ? { shortNames: args.shortNames } : {}),
        ...(args.categories ? { categories: args.categories } : {}),
      },
      scope: 'Namespaced',
      versions: args.versions.map((name) => ({
        name,
        served: true,
        storage: name === args.storageVersion,
        schema: { openAPIV3Schema: args.schema },
        ...(args.statusSubresource ? { subresources: { status: {} } } : {}),
        ...(args.printerColumns ? { additionalPrinterColumns: args.printerColumns } : {}),
      })),
    },
  };
}
