import type { Json } from '@ferry/core';
import { shapeError } from '../answer-error.js';
import { finiteOrNull, meanOrNull } from '../numbers.js';

type Row = Record<string, Json>;

const BUCKET_FIELDS = new Set(['beginTimeSeconds', 'endTimeSeconds']);

/**
 * Limits an NRQL query to the window by appending `SINCE <start> UNTIL <end>` (epoch ms),
 * unless the query already says SINCE.
 */
export function withWindow(nrql: string, window: { start: number; end: number }): string {
  if (/\bSINCE\b/i.test(nrql)) return nrql;
  return `${nrql.trim()} SINCE ${Math.floor(window.start)} UNTIL ${Math.floor(window.end)}`;
}

/**
 * One number from NRQL results. A `TIMESERIES` query (rows with `beginTimeSeconds`) gives
 * the series, one point per bucket, and the value is the mean of its non-null points. Any
 * other query must return one row with one numeric field (a single-valued object such as
 * `{"percentile.duration": {"95": 0.3}}` counts); a null field is no data.
 */
export function nrqlResult(label: string, query: string, results: Row[]): { value: number | null; series?: number[] } {
  if (results.length === 0) return { value: null };
  if (results.every((row) => 'beginTimeSeconds' in row)) {
    if (results.some((row) => 'facet' in row)) throw shapeError(label, query, 'is a faceted TIMESERIES; it must yield one series (remove FACET)');
    const series = results.map((row) => fieldValue(label, query, row)).filter((v): v is number => v !== null);
    return { value: meanOrNull(series), series };
  }
  if (results.length > 1) throw shapeError(label, query, `returned ${results.length} rows; it must yield exactly one (remove FACET)`);
  return { value: fieldValue(label, query, results[0] as Row) };
}

function fieldValue(label: string, query: string, row: Row): number | null {
  const fields = Object.entries(row).filter(([key]) => !BUCKET_FIELDS.has(key));
  if (fields.length !== 1) {
    throw shapeError(label, query, `returned the fields ${fields.map(([k]) => k).join(', ') || '(none)'}; it must select exactly one numeric value`);
  }
  const [name, value] = fields[0] as [string, Json];
  if (value === null) return null;
  if (typeof value === 'number') return finiteOrNull(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    const inner = Object.values(value);
    if (inner.length === 1 && (typeof inner[0] === 'number' || inner[0] === null)) return finiteOrNull(inner[0]);
  }
  throw shapeError(label, query, `returned a non-numeric ${name}: ${JSON.stringify(value).slice(0, 200)}`);
}
