/** One instant PromQL query against the dev cluster's Prometheus (for tests and the demo). */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export async function queryPrometheus(url: string, query: string): Promise<PromSample[]> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success' || !body.data) throw new Error(`prometheus query failed: ${body.error ?? res.status}`);
  if (body.data.resultType !== 'vector') throw new Error(`expected a vector result, got ${body.data.resultType}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
