/**
 * An in-memory Kubernetes cluster for unit tests and benchmarks: a `ClusterConnectorV1` whose
 * clients keep one object space per account, log every write, and simulate the status a
 * ReplicaSet (or Deployment) controller would report. It is deliberately small:
 *
 * - server-side apply is approximated as a deep merge (maps merge, lists are replaced) that
 *   records the field manager in `metadata.managedFields` and drops the fields the same
 *   manager applied last time and now omits; ownership conflicts are not detected;
 * - patch is a JSON merge patch (RFC 7386);
 * - delete honours `propagationPolicy`: `Orphan` strips owner references from dependents,
 *   anything else (default `Background`) deletes dependents too;
 * - no controllers run: a Deployment does not create ReplicaSets, and no Pods exist. Only
 *   the replica counts in `status` follow `spec.replicas`, immediately or after
 *   `readyDelayMs` of the injected clock; pods whose image matches `neverReadyImages`
 *   never become ready;
 * - a CustomResourceDefinition reports `Established=True` (and `NamesAccepted=True`) as
 *   soon as it is applied, unless its name matches `neverEstablishedCrds`.
 *
 * Status is computed when an object is read, so no timers run and thousands of concurrent
 * deployments cost nothing while idle.
 */
import type { KubeObject } from '../config/types.js';
import { isClusterScopedKind } from '../engine/target-manifests.js';
import { FerryInputError, FerryNotFoundError } from '../errors/index.js';
import type { ClockV1, ClusterClientV1, ClusterConnectorV1, ObjectRef } from '../plugins/contracts.js';

export interface FakeClusterOptions {
  /** Time source for readiness delays and timestamps. Default: `Date.now`. */
  clock?: Pick<ClockV1, 'now'>;
  /** How long scaled-up replicas take to become ready. Default 0: at once. */
  readyDelayMs?: number;
  /** Pods with an image matching this never become ready (e.g. `/:broken$/`). */
  neverReadyImages?: RegExp;
  /** CustomResourceDefinitions whose name matches this never become Established (all others are, once applied). */
  neverEstablishedCrds?: RegExp;
  /** Accounts the connector handles. Default: any account. */
  accounts?: string[];
  /** The connector's `kind`. Default `fake`. */
  kind?: string;
}

export interface FakeOperation {
  /** Position in the log, from 1. */
  seq: number;
  at: number;
  account: string;
  verb: 'apply' | 'patch' | 'delete';
  ref: ObjectRef;
  fieldManager?: string;
  /** For apply/patch of an object with `spec.replicas`: its value afterwards. */
  replicas?: number;
  /** For apply/patch of a Service: `spec.selector` afterwards. */
  selector?: Record<string, string>;
  /** For patch: the merge patch as sent. */
  patch?: Record<string, unknown>;
  /** For delete: whether the object existed. */
  existed?: boolean;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
}

export interface FakeCluster {
  connector: ClusterConnectorV1;
  /** A client for one account; `namespace` fills in missing namespaces of namespaced kinds. */
  client(account: string, namespace?: string): ClusterClientV1;
  /** The write log, oldest first, optionally filtered. */
  operations(filter?: { account?: string; kind?: string; verb?: FakeOperation['verb'] }): FakeOperation[];
  clearOperations(): void;
  /** Stores an object as if it pre-existed (e.g. deployed with kubectl); not logged. */
  seed(account: string, object: KubeObject): KubeObject;
  /** Current objects (with simulated status), optionally filtered, sorted by kind/namespace/name. */
  objects(account: string, filter?: { kind?: string; namespace?: string }): KubeObject[];
  /**
   * The account's state without volatile metadata (resourceVersion, managedFields), as a
   * stable string: equal snapshots mean equal cluster state.
   */
  snapshot(account: string): string;
}


/** Kinds whose status the fake derives from `spec.replicas`. */
const SCALABLE_KINDS = new Set(['ReplicaSet', 'Deployment', 'StatefulSet']);

interface StoredObject {
  object: KubeObject;
  /** Last configuration each field manager applied, to drop fields it stops applying. */
  applied: Map<string, KubeObject>;
  /** Ready replicas at the last change of `spec.replicas`, and when that happened. */
  readyBase: number;
  scaledAt: number;
}

type Bucket = Map<string, StoredObject>;
/** namespace ('' for cluster-scoped) → group/kind → name → object. */
type ObjectSpace = Map<string, Map<string, Bucket>>;

export function createFakeCluster(options: FakeClusterOptions = {}): FakeCluster {
  const clock = options.clock ?? { now: () => Date.now() };
  const readyDelayMs = options.readyDelayMs ?? 0;
  const spaces = new Map<string, ObjectSpace>();
  const log: FakeOperation[] = [];
  let resourceVersion = 0;
  let uid = 0;

  function space(account: string): ObjectSpace {
    let s = spaces.get(account);
    if (!s) spaces.set(account, (s = new Map()));
    return s;
  }

  function bucket(account: string, namespace: string, kindKey: string, create: boolean): Bucket | undefined {
    const s = space(account);
    let ns = s.get(namespace);
    if (!ns) {
      if (!create) return undefined;
      s.set(namespace, (ns = new Map()));
    }
    let b = ns.get(kindKey);
    if (!b && create) ns.set(kindKey, (b = new Map()));
    return b;
  }

  function resolveNamespace(kind: string, namespace: string | undefined, fallback: string | undefined): string {
    if (isClusterScopedKind(kind)) return '';
    const ns = namespace ?? fallback;
    if (!ns) throw new FerryInputError(`fake cluster: ${kind} needs a namespace`, { code: 'namespace_required' });
    return ns;
  }

  function readyNow(stored: StoredObject): number {
    const desired = replicasOf(stored.object) ?? 0;
    if (options.neverReadyImages && imagesOf(stored.object).some((i) => options.neverReadyImages?.test(i))) return 0;
    if (clock.now() - stored.scaledAt >= readyDelayMs) return desired;
    return Math.min(stored.readyBase, desired);
  }

  /** A copy for callers, with the simulated status filled in. */
  function view(stored: StoredObject): KubeObject {
    const copy = cloneJson(stored.object);
    if (SCALABLE_KINDS.has(copy.kind)) {
      const ready = readyNow(stored);
      copy.status = {
        observedGeneration: copy.metadata.generation,
        replicas: replicasOf(copy) ?? 0,
        readyReplicas: ready,
        availableReplicas: ready,
        ...(copy.kind === 'ReplicaSet' ? {} : { updatedReplicas: replicasOf(copy) ?? 0 }),
      };
    }
    if (copy.kind === 'CustomResourceDefinition') {
      const established = options.neverEstablishedCrds?.test(copy.metadata.name) ? 'False' : 'True';
      copy.status = {
        conditions: [
          { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts' },
          { type: 'Established', status: established, reason: established === 'True' ? 'InitialNamesAccepted' : 'Installing' },
        ],
      };
    }
    return copy;
  }

  /** Stores `next` in place of `stored.object`, bumping versions only on a real change. */
  function commit(stored: StoredObject, next: KubeObject): void {
    const before = stored.object;
    if (jsonEqual(before, next)) return;
    const replicasBefore = replicasOf(before);
    const replicasAfter = replicasOf(next);
    if (replicasBefore !== replicasAfter) {
      stored.readyBase = readyNow(stored);
      stored.scaledAt = clock.now();
    }
    if (!jsonEqual(before.spec, next.spec)) next.metadata.generation = ((before.metadata.generation as number) ?? 0) + 1;
    next.metadata.resourceVersion = String(++resourceVersion);
    stored.object = next;
  }

  function record(op: Omit<FakeOperation, 'seq' | 'at'>, result?: KubeObject): void {
    const entry: FakeOperation = { seq: log.length + 1, at: clock.now(), ...op };
    if (result) {
      const replicas = replicasOf(result);
      if (replicas !== undefined) entry.replicas = replicas;
      const selector = result.kind === 'Service' ? (result.spec as { selector?: Record<string, string> } | undefined)?.selector : undefined;
      if (selector) entry.selector = { ...selector };
    }
    log.push(entry);
  }

  function create(account: string, object: KubeObject, namespace: string): StoredObject {
    const now = clock.now();
    const created = cloneJson(object);
    delete created.status;
    created.metadata = {
      ...created.metadata,
      ...(namespace ? { namespace } : {}),
      uid: `fake-uid-${++uid}`,
      resourceVersion: String(++resourceVersion),
      generation: 1,
      creationTimestamp: new Date(now).toISOString(),
    };
    const stored: StoredObject = { object: created, applied: new Map(), readyBase: 0, scaledAt: now };
    bucket(account, namespace, kindKey(object.apiVersion, object.kind), true)?.set(object.metadata.name, stored);
    return stored;
  }

  function deleteObject(account: string, namespace: string, key: string, name: string, policy: FakeOperation['propagationPolicy']): boolean {
    const b = bucket(account, namespace, key, false);
    const stored = b?.get(name);
    if (!b || !stored) return false;
    b.delete(name);
    const ownerUid = stored.object.metadata.uid as string;
    // Garbage collection of dependents, which live in the same namespace.
    for (const [depKey, depBucket] of space(account).get(namespace) ?? []) {
      for (const [depName, dep] of [...depBucket]) {
        const owners = dep.object.metadata.ownerReferences as Array<{ uid: string }> | undefined;
        if (!owners?.some((o) => o.uid === ownerUid)) continue;
        if (policy === 'Orphan') {
          const next = cloneJson(dep.object);
          const rest = owners.filter((o) => o.uid !== ownerUid);
          if (rest.length) next.metadata.ownerReferences = rest;
          else delete next.metadata.ownerReferences;
          commit(dep, next);
        } else {
          deleteObject(account, namespace, depKey, depName, policy);
        }
      }
    }
    return true;
  }

  function makeClient(account: string, defaultNamespace: string | undefined): ClusterClientV1 {
    return {
      async apply(object, { fieldManager, signal }) {
        signal?.throwIfAborted();
        if (!object.metadata?.name) throw new FerryInputError('fake cluster: apply needs metadata.name', { code: 'invalid_object' });
        const namespace = resolveNamespace(object.kind, object.metadata.namespace, defaultNamespace);
        const key = kindKey(object.apiVersion, object.kind);
        const config = cloneJson(object);
        delete config.status;
        if (namespace) config.metadata.namespace = namespace;
        let stored = bucket(account, namespace, key, false)?.get(object.metadata.name);
        if (!stored) {
          stored = create(account, config, namespace);
        } else {
          const previous = stored.applied.get(fieldManager);
          const pruned = previous ? pruneOmitted(cloneJson(stored.object), previous, config) : cloneJson(stored.object);
          commit(stored, deepMerge(pruned, config) as KubeObject);
        }
        stored.applied.set(fieldManager, config);
        setManager(stored, fieldManager, clock.now());
        const result = view(stored);
        record({ account, verb: 'apply', ref: refOf(result), fieldManager }, result);
        return result;
      },

      async get(ref, opts) {
        opts?.signal?.throwIfAborted();
        const namespace = resolveNamespace(ref.kind, ref.namespace, defaultNamespace);
        const stored = bucket(account, namespace, kindKey(ref.apiVersion, ref.kind), false)?.get(ref.name);
        return stored ? view(stored) : null;
      },

      async list(query, opts) {
        opts?.signal?.throwIfAborted();
        const matches = compileSelector(query.labelSelector);
        const key = kindKey(query.apiVersion, query.kind);
        const namespaces = isClusterScopedKind(query.kind)
          ? ['']
          : query.namespace !== undefined
            ? [query.namespace]
            : [...space(account).keys()];
        const out: KubeObject[] = [];
        for (const ns of namespaces) {
          for (const stored of bucket(account, ns, key, false)?.values() ?? []) {
            if (matches(stored.object.metadata.labels ?? {})) out.push(view(stored));
          }
        }
        return out;
      },

      async patch(ref, patch, opts) {
        opts?.signal?.throwIfAborted();
        const namespace = resolveNamespace(ref.kind, ref.namespace, defaultNamespace);
        const stored = bucket(account, namespace, kindKey(ref.apiVersion, ref.kind), false)?.get(ref.name);
        if (!stored) throw new FerryNotFoundError(`${ref.kind} ${namespace ? `${namespace}/` : ''}${ref.name} not found`);
        const safe = cloneJson(patch);
        delete safe.status; // status is the controller's (here: the simulation's)
        const next = mergePatch(stored.object, safe) as KubeObject;
        // Identity is not patchable.
        next.metadata = { ...next.metadata, name: stored.object.metadata.name, uid: stored.object.metadata.uid };
        if (namespace) next.metadata.namespace = namespace;
        commit(stored, next);
        const result = view(stored);
        record({ account, verb: 'patch', ref: refOf(result), patch: cloneJson(patch) }, result);
        return result;
      },

      async delete(ref, opts) {
        opts?.signal?.throwIfAborted();
        const namespace = resolveNamespace(ref.kind, ref.namespace, defaultNamespace);
        const policy = opts?.propagationPolicy ?? 'Background';
        const existed = deleteObject(account, namespace, kindKey(ref.apiVersion, ref.kind), ref.name, policy);
        record({
          account,
          verb: 'delete',
          ref: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, ...(namespace ? { namespace } : {}) },
          existed,
          propagationPolicy: policy,
        });
        return existed;
      },
    };
  }

  const clients = new Map<string, ClusterClientV1>();
  function client(account: string, namespace?: string): ClusterClientV1 {
    const key = `${account}\u0000${namespace ?? ''}`;
    let c = clients.get(key);
    if (!c) clients.set(key, (c = makeClient(account, namespace)));
    return c;
  }

  const handles = (account: string) => options.accounts === undefined || options.accounts.includes(account);

  return {
    connector: {
      specificationVersion: 'v1',
      kind: options.kind ?? 'fake',
      handles,
      async client(target, opts) {
        opts?.signal?.throwIfAborted();
        if (!handles(target.account)) throw new FerryNotFoundError(`fake cluster: no account "${target.account}"`, { code: 'unknown_account' });
        return client(target.account, target.namespace);
      },
    },
    client,
    operations(filter = {}) {
      return log
        .filter((op) => (filter.account === undefined || op.account === filter.account) && (filter.kind === undefined || op.ref.kind === filter.kind) && (filter.verb === undefined || op.verb === filter.verb))
        .map((op) => cloneJson(op));
    },
    clearOperations() {
      log.length = 0;
    },
    seed(account, object) {
      const namespace = resolveNamespace(object.kind, object.metadata.namespace, undefined);
      const stored = create(account, object, namespace);
      // Whatever was seeded counts as settled: its replicas are ready (unless never-ready).
      stored.readyBase = replicasOf(stored.object) ?? 0;
      stored.scaledAt = -Infinity;
      return view(stored);
    },
    objects(account, filter = {}) {
      const out: KubeObject[] = [];
      for (const [ns, kinds] of space(account)) {
        if (filter.namespace !== undefined && ns !== filter.namespace) continue;
        for (const b of kinds.values()) {
          for (const stored of b.values()) {
            if (filter.kind === undefined || stored.object.kind === filter.kind) out.push(view(stored));
          }
        }
      }
      return out.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    },
    snapshot(account) {
      const objects = this.objects(account).map((o) => {
        const { resourceVersion: _rv, managedFields: _mf, ...metadata } = o.metadata;
        return { ...o, metadata };
      });
      return JSON.stringify(objects, null, 1);
    },
  };
}

// ---------------------------------------------------------------------------------------
// Helpers

function kindKey(apiVersion: string, kind: string): string {
  // The same object is reachable through any version of its group.
  const slash = apiVersion.indexOf('/');
  return `${slash === -1 ? '' : apiVersion.slice(0, slash)}/${kind}`;
}

function refOf(object: KubeObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name };
  if (object.metadata.namespace) ref.namespace = object.metadata.namespace;
  return ref;
}

function sortKey(o: KubeObject): string {
  return `${o.kind}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
}

function replicasOf(object: KubeObject): number | undefined {
  if (!SCALABLE_KINDS.has(object.kind)) return undefined;
  const replicas = (object.spec as { replicas?: unknown } | undefined)?.replicas;
  // The API server defaults an absent replicas field to 1.
  return typeof replicas === 'number' ? replicas : 1;
}

function imagesOf(object: KubeObject): string[] {
  const podSpec = (object.spec as { template?: { spec?: { containers?: Array<{ image?: string }> } } } | undefined)?.template?.spec;
  return (podSpec?.containers ?? []).map((c) => c.image ?? '');
}

function setManager(stored: StoredObject, manager: string, now: number): void {
  const fields = ((stored.object.metadata.managedFields as Array<{ manager: string }> | undefined) ?? []).filter((f) => f.manager !== manager);
  fields.push({ manager, operation: 'Apply', time: new Date(now).toISOString() } as { manager: string });
  stored.object.metadata.managedFields = fields;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of JSON data; faster than structuredClone for small objects. */
function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k in value) if (value[k] !== undefined) out[k] = cloneJson(value[k]);
    return out as T;
  }
  return value;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Apply approximation: maps merge key by key, everything else is replaced. */
function deepMerge(target: unknown, source: unknown): unknown {
  if (!isPlainObject(target) || !isPlainObject(source)) return cloneJson(source);
  const out: Record<string, unknown> = { ...target };
  for (const k in source) out[k] = k in target ? deepMerge(target[k], source[k]) : cloneJson(source[k]);
  return out;
}

/** Removes from `target` the fields `previous` applied that `next` no longer applies. */
function pruneOmitted(target: KubeObject, previous: unknown, next: unknown): KubeObject {
  const walk = (t: Record<string, unknown>, p: Record<string, unknown>, n: Record<string, unknown>) => {
    for (const k in p) {
      if (!(k in n)) delete t[k];
      else if (isPlainObject(p[k]) && isPlainObject(n[k]) && isPlainObject(t[k])) {
        walk(t[k] as Record<string, unknown>, p[k] as Record<string, unknown>, n[k] as Record<string, unknown>);
      }
    }
  };
  if (isPlainObject(previous) && isPlainObject(next)) walk(target as Record<string, unknown>, previous, next);
  return target;
}

/** JSON merge patch, RFC 7386. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const k in patch) {
    if (patch[k] === null) delete out[k];
    else out[k] = mergePatch(out[k], patch[k]);
  }
  return out;
}

/**
 * Label selectors as `kubectl -l` takes them: `a=b`, `a==b`, `a!=b`, `a`, `!a`,
 * `a in (x,y)`, `a notin (x,y)`, comma-separated (all must hold).
 */
export function compileSelector(selector: string | undefined): (labels: Record<string, string>) => boolean {
  if (!selector?.trim()) return () => true;
  const terms = splitTerms(selector).map(parseTerm);
  return (labels) => terms.every((t) => t(labels));
}

function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter(Boolean);
}

function parseTerm(term: string): (labels: Record<string, string>) => boolean {
  const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in'
      ? (l) => l[key] !== undefined && values.has(l[key])
      : (l) => l[key] === undefined || !values.has(l[key]);
  }
  const neq = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(term);
  if (neq) return (l) => l[neq[1] ?? ''] !== neq[2];
  const eq = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(term);
  if (eq) return (l) => l[eq[1] ?? ''] === eq[2];
  const notExists = /^!\s*([^\s!=]+)$/.exec(term);
  if (notExists) return (l) => l[notExists[1] ?? ''] === undefined;
  if (/^[^\s!=()]+$/.test(term)) return (l) => l[term] !== undefined;
  throw new FerryInputError(`fake cluster: cannot parse label selector term "${term}"`, { code: 'invalid_selector' });
}
