import type { HttpAnswer } from '../../http/index.js';
import { shapeError, snippet } from '../answer-error.js';
import { finiteOrNull, meanOrNull } from '../numbers.js';

export interface DatadogQueryBody {
  status?: string;
  error?: string;
  series?: Array<{ pointlist?: Array<[number, number | null]>; scope?: string; expression?: string }>;
}

/** Datadog's message in an error answer: `{"errors": [...]}`, or `error` of a `status: "error"` body. */
export function datadogMessage(answer: HttpAnswer): string {
  const body = answer.json as { errors?: unknown; error?: unknown } | undefined;
  if (body && Array.isArray(body.errors) && body.errors.length > 0) return body.errors.map(String).join('; ');
  if (body && typeof body.error === 'string' && body.error !== '') return body.error;
  return snippet(answer.text);
}

/**
 * The value and series of a query answer. The series are the non-null points of the single
 * returned series; the value is their mean (null when there are none, or no series at all).
 */
export function datadogResult(label: string, query: string, body: DatadogQueryBody): { value: number | null; series: number[] } {
  const series = body.series ?? [];
  if (series.length === 0) return { value: null, series: [] };
  if (series.length > 1) {
    const scopes = series.slice(0, 3).map((s) => s.scope ?? s.expression ?? '?');
    throw shapeError(label, query, `returned ${series.length} series; it must yield exactly one (remove the "by {...}" grouping): ${scopes.join(', ')}${series.length > 3 ? ', …' : ''}`);
  }
  const points = (series[0]?.pointlist ?? []).map(([, v]) => finiteOrNull(v)).filter((v): v is number => v !== null);
  return { value: meanOrNull(points), series: points };
}
