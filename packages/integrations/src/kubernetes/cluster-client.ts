import {
  ApiException,
  KubernetesObjectApi,
  PatchStrategy,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import {
  FerryConflictError,
  FerryError,
  FerryForbiddenError,
  FerryInputError,
  FerryNotFoundError,
  FerryUnauthenticatedError,
  FerryUnavailableError,
  type ClusterClientV1,
  type KubeObject,
  type ObjectRef,
} from '@ferry/core';
import { withPortProtocols } from './apply-defaults.js';

/**
 * A `ClusterClientV1` over `@kubernetes/client-node`'s dynamic object API. It only needs a
 * KubeConfig, so the same code serves a kube context, an in-cluster ServiceAccount, or (later)
 * the hub→agent relay exposed as an HTTP endpoint: the engine cannot tell them apart.
 */
export function createKubeClusterClient(kubeConfig: KubeConfig, options: { label?: string } = {}): ClusterClientV1 {
  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  const where = options.label ?? kubeConfig.getCurrentContext();

  return {
    async apply(object, { fieldManager, force = true, signal }) {
      signal?.throwIfAborted();
      // Server-side apply must not carry server-owned fields of an object read back earlier.
      const body = withPortProtocols(withoutServerFields(object));
      return call(where, describe(object), signal, () =>
        api.patch(body as KubernetesObject, undefined, undefined, fieldManager, force, PatchStrategy.ServerSideApply),
      ) as Promise<KubeObject>;
    },

    async get(ref, opts = {}) {
      try {
        return (await call(where, describe(ref), opts.signal, () => api.read(header(ref)))) as KubeObject;
      } catch (error) {
        if (error instanceof FerryNotFoundError) return null;
        throw error;
      }
    },

    async list(query, opts = {}) {
      const result = await call(where, `${query.kind} list`, opts.signal, () =>
        api.list(query.apiVersion, query.kind, query.namespace, undefined, undefined, undefined, undefined, query.labelSelector),
      );
      // Items of a list come without apiVersion/kind; restore them so callers can re-apply.
      return result.items.map((item) => ({ ...item, apiVersion: query.apiVersion, kind: query.kind }) as KubeObject);
    },

    async patch(ref, patch, opts = {}) {
      const body = { ...patch, ...header(ref) };
      return (await call(where, describe(ref), opts.signal, () =>
        api.patch(body as KubernetesObject, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch),
      )) as KubeObject;
    },

    async delete(ref, opts = {}) {
      try {
        await call(where, describe(ref), opts.signal, () =>
          api.delete(header(ref), undefined, undefined, undefined, undefined, opts.propagationPolicy ?? 'Background'),
        );
        return true;
      } catch (error) {
        if (error instanceof FerryNotFoundError) return false;
        throw error;
      }
    },
  };
}

function header(ref: ObjectRef | KubeObject): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } {
  const name = 'metadata' in ref ? ref.metadata.name : ref.name;
  const namespace = 'metadata' in ref ? ref.metadata.namespace : ref.namespace;
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: namespace ? { name, namespace } : { name } };
}

function describe(ref: ObjectRef | KubeObject): string {
  const { metadata } = header(ref);
  return `${ref.kind}/${metadata.name}${metadata.namespace ? ` in namespace ${metadata.namespace}` : ''}`;
}

function withoutServerFields(object: KubeObject): KubeObject {
  const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, managedFields: _mf, generation: _g, selfLink: _sl, ...metadata } =
    object.metadata;
  const { status: _status, ...rest } = object;
  return { ...rest, metadata } as KubeObject;
}

/** Runs one API call, stops waiting when the signal aborts, and maps failures to FerryErrors. */
async function call<T>(where: string, what: string, signal: AbortSignal | undefined, request: () => Promise<T>): Promise<T> {
  signal?.throwIfAborted();
  try {
    if (!signal) return await request();
    return await new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      request().then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  } catch (error) {
    if (signal?.aborted && error === signal.reason) throw error;
    throw toClusterError(where, what, error);
  }
}

function toClusterError(where: string, what: string, error: unknown): FerryError {
  if (error instanceof FerryError) return error;
  const prefix = `cluster ${where}: ${what}`;
  if (error instanceof ApiException) {
    const message = `${prefix}: ${apiMessage(error)}`;
    const options = { cause: error, details: { status: error.code } };
    switch (error.code) {
      case 400:
      case 422:
        return new FerryInputError(message, { ...options, code: 'cluster_rejected' });
      case 401:
        return new FerryUnauthenticatedError(message, options);
      case 403:
        return new FerryForbiddenError(message, options);
      case 404:
        return new FerryNotFoundError(message, options);
      case 409:
        return new FerryConflictError(message, options);
      default:
        return new FerryUnavailableError(message, options);
    }
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new FerryUnavailableError(`${prefix}: ${reason}`, { cause: error });
}

/** The API server's own message from a Status body, falling back to the HTTP status. */
function apiMessage(error: ApiException<unknown>): string {
  const body = error.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message;
    } catch {
      // not JSON: use the text as it is
    }
    if (body.trim()) return body.trim().slice(0, 500);
  } else if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return `HTTP ${error.code}`;
}
