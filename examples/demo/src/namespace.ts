import type { ClusterClientV1 } from '@ferry/core';

/** Deletes the namespace left by an earlier run (waiting until it is gone), then creates it. */
export async function freshNamespace(client: ClusterClientV1, name: string, timeoutMs = 120_000): Promise<void> {
  const ref = { apiVersion: 'v1', kind: 'Namespace', name };
  await client.delete(ref, { propagationPolicy: 'Foreground' });
  const deadline = Date.now() + timeoutMs;
  while (await client.get(ref)) {
    if (Date.now() > deadline) throw new Error(`namespace ${name} from an earlier run is still terminating after ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'ferry.dev/demo': 'true' } } }, { fieldManager: 'ferry-demo' });
}
