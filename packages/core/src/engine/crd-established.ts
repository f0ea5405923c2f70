import type { KubeObject } from '../config/types.js';
import { FerryUnavailableError } from '../errors/index.js';
import type { ClusterClientV1 } from '../plugins/contracts.js';

export interface WaitForCrdsOptions {
  signal: AbortSignal;
  /** Give up after this long. Default 60 s. */
  timeoutMs?: number;
  /** Time between reads. Default 250 ms. */
  pollMs?: number;
}

interface Condition {
  type?: string;
  status?: string;
}

export const isCrd = (object: KubeObject): boolean => object.kind === 'CustomResourceDefinition';

function established(crd: KubeObject | null): boolean {
  const conditions = ((crd?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[];
  return conditions.some((c) => c.type === 'Established' && c.status === 'True');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Waits until every CustomResourceDefinition among `objects` (just applied) reports
 * `Established=True`: until then the API server rejects the custom resources it defines.
 * Other objects are ignored. Throws FerryUnavailableError naming the CRDs still not
 * established after `timeoutMs`.
 */
export async function waitForCrdsEstablished(client: ClusterClientV1, objects: KubeObject[], options: WaitForCrdsOptions): Promise<void> {
  const { signal, timeoutMs = 60_000, pollMs = 250 } = options;
  let waiting = objects.filter(isCrd).map((o) => o.metadata.name);
  const deadline = Date.now() + timeoutMs;
  while (waiting.length > 0) {
    signal.throwIfAborted();
    const read = await Promise.all(
      waiting.map(async (name) => ({ name, crd: await client.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name }, { signal }) })),
    );
    waiting = read.filter(({ crd }) => !established(crd)).map(({ name }) => name);
    if (waiting.length === 0) return;
    if (Date.now() >= deadline) {
      throw new FerryUnavailableError(
        `CustomResourceDefinition ${waiting.join(', ')} not Established after ${Math.round(timeoutMs / 1000)} s: the custom resources that use it cannot be applied yet`,
        { code: 'crd_not_established' },
      );
    }
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())), signal);
  }
}
