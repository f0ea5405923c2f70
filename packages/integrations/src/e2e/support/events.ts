import type { EngineEventV1, FerryEngine, Json } from '@ferry/core';

export type MeasuredData = Record<string, Json> & { query: string; rendered: string; value: number | null; windowEnd: number; verdict: string };

/** The deployment's events as the store keeps them. */
export function storedEvents(engine: FerryEngine, id: string): Promise<EngineEventV1[]> {
  return engine.listEvents(id, { limit: 10_000 });
}

/** The stored `analysis.measured` events' data, in order. */
export async function measured(engine: FerryEngine, id: string): Promise<MeasuredData[]> {
  return (await storedEvents(engine, id)).filter((e) => e.type === 'analysis.measured').map((e) => e.data as MeasuredData);
}
