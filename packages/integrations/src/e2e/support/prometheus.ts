/** One instant query at a given time (epoch ms), straight to Prometheus's HTTP API: a second opinion for the tests. */
export async function instantAt(url: string, query: string, atMs: number): Promise<number> {
  const params = new URLSearchParams({ query, time: String(atMs / 1000) });
  const res = await fetch(`${url}/api/v1/query?${params}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { status: string; data?: { resultType: string; result: Array<{ value: [number, string] }> } };
  const sample = body.status === 'success' && body.data?.resultType === 'vector' ? body.data.result[0] : undefined;
  if (!sample) throw new Error(`Prometheus has no value for ${query} at ${new Date(atMs).toISOString()}: ${JSON.stringify(body)}`);
  return Number(sample.value[1]);
}
