import type { EventPayload } from '../api/types.js';

/** One metric's measurements in one target, in order, with its limits: what a chart draws. */
export interface AnalysisSeries {
  target: string;
  query: string;
  lowerLimit?: number;
  upperLimit?: number;
  points: Array<{ run: number; at: number; value: number | null; result: string }>;
}

/** Groups `analysis.measured` events by target and query, in event order. */
export function analysisSeries(events: EventPayload[]): AnalysisSeries[] {
  const series = new Map<string, AnalysisSeries>();
  for (const event of events) {
    if (event.type !== 'analysis.measured') continue;
    const data = event.data;
    const query = typeof data.query === 'string' ? data.query : '(metric)';
    const target = event.target ?? '';
    const key = `${target}\u0000${query}`;
    let entry = series.get(key);
    if (!entry) {
      entry = { target, query, points: [] };
      series.set(key, entry);
    }
    if (typeof data.lowerLimit === 'number') entry.lowerLimit = data.lowerLimit;
    if (typeof data.upperLimit === 'number') entry.upperLimit = data.upperLimit;
    entry.points.push({
      run: typeof data.run === 'number' ? data.run : entry.points.length + 1,
      at: typeof data.windowEnd === 'number' ? data.windowEnd : event.at,
      value: typeof data.value === 'number' && Number.isFinite(data.value) ? data.value : null,
      result: typeof data.result === 'string' ? data.result : 'unknown',
    });
  }
  return [...series.values()];
}

/** The y range a chart shows: every value and both limits, padded so nothing sits on the edge. */
export function chartDomain(series: AnalysisSeries): { min: number; max: number } {
  const values = series.points.flatMap((p) => (p.value === null ? [] : [p.value]));
  for (const limit of [series.lowerLimit, series.upperLimit]) if (limit !== undefined) values.push(limit);
  if (values.length === 0) return { min: 0, max: 1 };
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    return { min: min - pad, max: max + pad };
  }
  const pad = (max - min) * 0.1;
  min -= pad;
  max += pad;
  return { min, max };
}
