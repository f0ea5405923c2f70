import { FerryUnavailableError, parsePluginOptions, type Json, type MetricProviderV1 } from '@ferry/core';
import { httpJsonOptionsSchema, type HttpJsonOptions, type ParsedHttpJsonOptions } from './options.js';
import { toMetric, valueAtPath } from './value-at-path.js';

/**
 * A metric provider for any HTTP endpoint that answers a query with JSON: the analysis
 * step's rendered `queryTemplate` and the judgment window go out, one number comes back.
 */
export function httpJsonMetricProvider(options: HttpJsonOptions): MetricProviderV1 {
  const parsed = parsePluginOptions('httpJson', httpJsonOptionsSchema, options);
  return {
    specificationVersion: 'v1',
    kind: 'httpJson',
    name: parsed.name,
    async query({ query, window, signal }) {
      const start = new Date(window.start).toISOString();
      const end = new Date(window.end).toISOString();
      const request =
        parsed.method === 'GET'
          ? { url: withParams(parsed.url, { query, start, end, step: String(window.stepSeconds) }), init: { method: 'GET' } }
          : { url: parsed.url, init: { method: 'POST', body: JSON.stringify({ query, start, end, stepSeconds: window.stepSeconds }) } };
      const body = await fetchJson(parsed, request.url, request.init, signal);
      let value: number | null;
      let series: number[] | undefined;
      try {
        value = toMetric(valueAtPath(body, parsed.valuePath), parsed.valuePath);
        if (parsed.seriesPath !== undefined) {
          const raw = valueAtPath(body, parsed.seriesPath);
          series = Array.isArray(raw) ? raw.map((v) => toMetric(v, parsed.seriesPath as string)).filter((v): v is number => v !== null) : undefined;
        }
      } catch (error) {
        throw new FerryUnavailableError(`metric provider "${parsed.name}": ${(error as Error).message}`, { code: 'metric_bad_answer' });
      }
      return { value, ...(series ? { series } : {}), raw: body as Json };
    },
    async testConnection({ signal }) {
      try {
        await fetchJson(parsed, parsed.healthUrl ?? parsed.url, { method: 'GET' }, signal);
        return { ok: true };
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
    },
  };
}

function withParams(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  return target.toString();
}

/** One request with the provider's timeout, joined to the caller's signal. */
async function fetchJson(options: ParsedHttpJsonOptions, url: string, init: RequestInit, signal: AbortSignal): Promise<unknown> {
  const headers = { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...options.headers };
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers, signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]) });
  } catch (error) {
    if (signal.aborted) throw error;
    // Only the origin: a URL's query string might carry a credential.
    throw new FerryUnavailableError(`metric provider "${options.name}": ${new URL(url).origin} unreachable: ${(error as Error).message}`, { code: 'metric_unavailable' });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new FerryUnavailableError(`metric provider "${options.name}": HTTP ${response.status} from ${new URL(url).origin}: ${text.slice(0, 200)}`, { code: 'metric_unavailable' });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FerryUnavailableError(`metric provider "${options.name}": the answer is not JSON: ${text.slice(0, 100)}`, { code: 'metric_bad_answer' });
  }
}
