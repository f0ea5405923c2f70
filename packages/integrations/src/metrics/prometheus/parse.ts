import type { HttpAnswer } from '../../http/index.js';
import { shapeError, snippet } from '../answer-error.js';
import { finiteOrNull } from '../numbers.js';

interface PromData {
  resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  result: unknown;
}

interface PromSeries {
  metric?: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

/** The provider's message in an error answer: `errorType: error`, else the start of the body. */
export function prometheusMessage(answer: HttpAnswer): string {
  const body = answer.json as { errorType?: unknown; error?: unknown } | undefined;
  if (body && typeof body.error === 'string') return typeof body.errorType === 'string' ? `${body.errorType}: ${body.error}` : body.error;
  return snippet(answer.text);
}

/** The `data` of a successful answer, or undefined when the body is not a Prometheus success. */
export function prometheusData(answer: HttpAnswer): PromData | undefined {
  const body = answer.json as { status?: unknown; data?: PromData } | undefined;
  if (!body || body.status !== 'success' || !body.data || typeof body.data.resultType !== 'string') return undefined;
  return body.data;
}

/**
 * One number from an instant query: a scalar, or a vector with exactly one sample. An empty
 * vector is no data (null), as is a NaN or infinite sample (e.g. 0/0 when nothing was served).
 */
export function instantValue(label: string, query: string, data: PromData): number | null {
  if (data.resultType === 'scalar') return finiteOrNull((data.result as [number, string])[1]);
  if (data.resultType !== 'vector') {
    throw shapeError(label, query, `returned a ${data.resultType === 'matrix' ? 'range vector' : data.resultType}; it must yield one number (an instant vector with one series, or a scalar)`);
  }
  const result = data.result as PromSeries[];
  if (result.length === 0) return null;
  if (result.length > 1) throw shapeError(label, query, `returned ${result.length} series; it must yield exactly one (aggregate with sum/avg/max ...): ${describeSeries(result)}`);
  return finiteOrNull(result[0]?.value?.[1]);
}

/** The points of a range query's single series (NaN and infinite points dropped); [] when empty. */
export function rangeSeries(label: string, query: string, data: PromData): number[] {
  if (data.resultType === 'scalar') return [];
  if (data.resultType !== 'matrix') throw shapeError(label, query, `returned a ${data.resultType} to a range query`);
  const result = data.result as PromSeries[];
  if (result.length === 0) return [];
  if (result.length > 1) throw shapeError(label, query, `returned ${result.length} series over the window; it must yield exactly one: ${describeSeries(result)}`);
  return (result[0]?.values ?? []).map(([, v]) => finiteOrNull(v)).filter((v): v is number => v !== null);
}

function describeSeries(result: PromSeries[]): string {
  const shown = result.slice(0, 3).map((s) => {
    const labels = Object.entries(s.metric ?? {}).map(([k, v]) => `${k}="${v}"`);
    return `{${labels.join(',')}}`;
  });
  return shown.join(', ') + (result.length > 3 ? `, … ${result.length - 3} more` : '');
}
