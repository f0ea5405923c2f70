import { FIELD_MANAGER, FerryNotFoundError, type ClusterClientV1, type Json, type KubeObject, type ObjectRef } from '@ferry/core';

/** Labels on every object a traffic provider creates, so a re-run `prepare` (after a crash) still knows Ferry made it. */
export const CREATED_LABELS = { 'app.kubernetes.io/managed-by': 'ferry', 'ferry.dev/traffic-created': 'true' } as const;

/** What `prepare` remembers of one object a provider touches: its spec before, or null when Ferry creates it. */
export interface SavedObject {
  ref: ObjectRef & { namespace: string };
  /** The user's `spec` as the API server stored it; null = Ferry created the object and deletes it on restore. */
  original: { spec: Json } | null;
}

export function describeRef(ref: ObjectRef): string {
  return `${ref.kind}/${ref.name}${ref.namespace ? ` in namespace ${ref.namespace}` : ''}`;
}

export function specOf(object: KubeObject): Record<string, unknown> {
  return (object.spec ?? {}) as Record<string, unknown>;
}

/** Reads an object that must exist; the error names it and where it was configured. */
export async function getRequired(client: ClusterClientV1, ref: ObjectRef, configuredAt: string, signal: AbortSignal): Promise<KubeObject> {
  const object = await client.get(ref, { signal });
  if (!object) throw new FerryNotFoundError(`${describeRef(ref)} does not exist (named by ${configuredAt})`, { code: 'traffic_object_missing' });
  return object;
}

/**
 * On a user's object while Ferry changes it: the spec before, so a `prepare` re-run after a
 * crash (the strategy had not yet saved what the first one returned) still finds the user's
 * version rather than Ferry's weights. Dropped by the restore.
 */
export const ORIGINAL_ANNOTATION = 'ferry.dev/traffic-original-spec';

/**
 * Remembers an object as it is now. An absent one, or one Ferry created in an earlier
 * (crashed) run, counts as Ferry's; a user's object Ferry already changed yields the spec
 * saved on it.
 */
export async function remember(client: ClusterClientV1, ref: SavedObject['ref'], signal: AbortSignal): Promise<SavedObject> {
  const current = await client.get(ref, { signal });
  if (!current || current.metadata.labels?.['ferry.dev/traffic-created'] === 'true') return { ref, original: null };
  const saved = current.metadata.annotations?.[ORIGINAL_ANNOTATION];
  return { ref, original: { spec: saved ? (JSON.parse(saved) as Json) : structuredClone((current.spec ?? {}) as Json) } };
}

/**
 * Server-side applies as Ferry. A user's object gets its whole original spec with Ferry's
 * changes on top: once a restore has made Ferry a co-owner of every field, an apply that
 * left some out would delete them. Objects Ferry created keep its labels so a crashed run
 * can still recognise them.
 */
export function applyAsFerry(client: ClusterClientV1, saved: SavedObject, body: { spec: Record<string, unknown>; metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } }, signal: AbortSignal): Promise<KubeObject> {
  const { ref } = saved;
  const metadata = saved.original
    ? { ...body.metadata, name: ref.name, namespace: ref.namespace, annotations: { ...body.metadata?.annotations, [ORIGINAL_ANNOTATION]: JSON.stringify(saved.original.spec) } }
    : { ...body.metadata, name: ref.name, namespace: ref.namespace, labels: { ...body.metadata?.labels, ...CREATED_LABELS } };
  const spec = saved.original ? { ...(saved.original.spec as Record<string, unknown>), ...body.spec } : body.spec;
  return client.apply({ apiVersion: ref.apiVersion, kind: ref.kind, metadata, spec }, { fieldManager: FIELD_MANAGER, force: true, signal });
}

/**
 * Puts the user's objects back, then deletes what Ferry created, in the given order:
 * put-backs first so that nothing still routed points at an object being deleted.
 * Putting back is a forced apply of the whole original spec by Ferry's field manager: fields
 * Ferry set go back to the user's values, and fields only Ferry added (including the saved
 * original annotation) are dropped.
 */
export async function restoreAll(client: ClusterClientV1, saved: SavedObject[], signal: AbortSignal): Promise<void> {
  for (const s of saved) {
    if (!s.original) continue;
    if (!(await client.get(s.ref, { signal }))) continue; // deleted by a person meanwhile: not Ferry's to re-create
    await client.apply(
      { apiVersion: s.ref.apiVersion, kind: s.ref.kind, metadata: { name: s.ref.name, namespace: s.ref.namespace }, spec: s.original.spec as Record<string, unknown> },
      { fieldManager: FIELD_MANAGER, force: true, signal },
    );
  }
  for (const s of saved) if (!s.original) await client.delete(s.ref, { signal });
}
