import type { KubeObject } from '../config/types.js';
import { FerryNotFoundError } from '../errors/index.js';
import type { ClusterClientV1, ClusterConnectorV1, ObjectRef } from '../plugins/contracts.js';

export interface RecordedOperation {
  account: string;
  verb: 'apply' | 'patch' | 'delete';
  kind: string;
  name: string;
  namespace?: string;
  /** `spec` (or `data`) after the operation, as JSON: enough to compare two runs. */
  content?: string;
}

export interface RecordingCluster {
  connector: ClusterConnectorV1;
  /** Every write, oldest first. */
  operations: RecordedOperation[];
  /** One line per write, e.g. `apply ConfigMap/shop/weights {"weight":"25"}`. */
  lines(): string[];
  object(account: string, ref: ObjectRef): KubeObject | undefined;
  /** Makes every later call throw (a process that died makes no more calls). */
  disconnect(): void;
}

const keyOf = (ref: { kind: string; name: string; namespace?: string }): string => `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;

/**
 * A tiny in-memory cluster that records every write: apply replaces the object, patch
 * merges at the top level of spec/data. For engine tests; the strategies' fake cluster
 * (`createFakeCluster`) models Kubernetes far more closely.
 */
export function createRecordingCluster(options: { kind?: string; accounts?: string[] } = {}): RecordingCluster {
  const spaces = new Map<string, Map<string, KubeObject>>();
  const operations: RecordedOperation[] = [];
  let disconnected = false;
  const space = (account: string): Map<string, KubeObject> => {
    let s = spaces.get(account);
    if (!s) spaces.set(account, (s = new Map()));
    return s;
  };
  const check = (signal?: AbortSignal): void => {
    if (disconnected) throw new Error('recording cluster: disconnected');
    signal?.throwIfAborted();
  };
  const record = (account: string, verb: RecordedOperation['verb'], ref: ObjectRef, object?: KubeObject): void => {
    const body = object ? (object['spec'] ?? object['data']) : undefined;
    operations.push({
      account,
      verb,
      kind: ref.kind,
      name: ref.name,
      ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}),
      ...(body !== undefined ? { content: JSON.stringify(body) } : {}),
    });
  };
  const client = (account: string): ClusterClientV1 => ({
    async apply(object, opts) {
      check(opts.signal);
      const stored = structuredClone(object);
      const ref = { apiVersion: stored.apiVersion, kind: stored.kind, name: stored.metadata.name, namespace: stored.metadata.namespace };
      space(account).set(keyOf(ref), stored);
      record(account, 'apply', ref, stored);
      return structuredClone(stored);
    },
    async get(ref, opts) {
      check(opts?.signal);
      const found = space(account).get(keyOf(ref));
      if (!found) return null;
      // A CRD is Established at once, as the API server reports when nothing conflicts.
      return found.kind === 'CustomResourceDefinition' ? { ...structuredClone(found), status: { conditions: [{ type: 'Established', status: 'True' }] } } : structuredClone(found);
    },
    async list(query, opts) {
      check(opts?.signal);
      return [...space(account).values()]
        .filter((o) => o.kind === query.kind && (query.namespace === undefined || o.metadata.namespace === query.namespace))
        .map((o) => structuredClone(o));
    },
    async patch(ref, patch, opts) {
      check(opts?.signal);
      const found = space(account).get(keyOf(ref));
      if (!found) throw new FerryNotFoundError(`${ref.kind} ${ref.name} not found`);
      for (const [key, value] of Object.entries(patch)) {
        const current = found[key];
        found[key] = current && typeof current === 'object' && value && typeof value === 'object' ? { ...current, ...value } : value;
      }
      record(account, 'patch', ref, found);
      return structuredClone(found);
    },
    async delete(ref, opts) {
      check(opts?.signal);
      const existed = space(account).delete(keyOf(ref));
      record(account, 'delete', ref);
      return existed;
    },
  });
  const connector: ClusterConnectorV1 = {
    specificationVersion: 'v1',
    kind: options.kind ?? 'recording',
    handles: (account) => !options.accounts || options.accounts.includes(account),
    async client(target) {
      check();
      return client(target.account);
    },
  };
  return {
    connector,
    operations,
    lines: () => operations.map((o) => `${o.verb} ${o.account} ${o.kind}/${o.namespace ?? ''}/${o.name}${o.content !== undefined ? ` ${o.content}` : ''}`),
    object: (account, ref) => {
      const found = space(account).get(keyOf(ref));
      return found ? structuredClone(found) : undefined;
    },
    disconnect() {
      disconnected = true;
    },
  };
}
