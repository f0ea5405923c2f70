import { FerryUnavailableError, parsePluginOptions, type MetricProviderV1 } from '@ferry/core';
import { createHttpClient, createRedactor, send, type SendContext } from '../../http/index.js';
import { answerError } from '../answer-error.js';
import { sendPolicy } from '../common-options.js';
import { redactJson } from '../redact-json.js';
import { trimRaw } from '../trim-raw.js';
import { datadogOptions, type DatadogOptions } from './options.js';
import { datadogMessage, datadogResult, type DatadogQueryBody } from './parse.js';

/**
 * A Datadog metric provider over the v1 metrics query API (`GET /api/v1/query`). The window
 * is sent as `from`/`to` (epoch seconds); the value is the mean of the non-null points of the
 * single returned series.
 */
export function datadogMetricProvider(options: DatadogOptions): MetricProviderV1 {
  const parsed = parsePluginOptions('datadog', datadogOptions, options);
  const label = `datadog "${parsed.name}"`;
  const client = createHttpClient({
    baseUrl: parsed.url ?? `https://api.${parsed.site}`,
    headers: { 'DD-API-KEY': parsed.apiKey, 'DD-APPLICATION-KEY': parsed.applicationKey },
  });
  const redact = createRedactor([parsed.apiKey, parsed.applicationKey]);
  const ctx: SendContext = { client, policy: sendPolicy(parsed), label, redact, messageOf: datadogMessage };

  return {
    specificationVersion: 'v1',
    kind: 'datadog',
    name: parsed.name,
    async query({ query, window, signal }) {
      const params = { from: Math.floor(window.start / 1000), to: Math.floor(window.end / 1000), query };
      const answer = await send(ctx, { method: 'GET', path: '/api/v1/query', params }, signal);
      if (answer.status >= 300) throw answerError(label, answer, redact(datadogMessage(answer)), query);
      const body = answer.json as DatadogQueryBody | undefined;
      if (!body || typeof body !== 'object') {
        throw new FerryUnavailableError(`${label}: the answer is not JSON (HTTP ${answer.status})`, { code: 'metric_provider_bad_answer', details: { status: answer.status } });
      }
      // The query API can answer 200 with `status: "error"` for a query it cannot run.
      if (body.status === 'error') throw answerError(label, answer, redact(datadogMessage(answer)), query);
      return { ...datadogResult(label, query, body), raw: redactJson(trimRaw(body), redact) };
    },
    async testConnection({ signal }) {
      try {
        const answer = await send(ctx, { method: 'GET', path: '/api/v1/validate' }, signal);
        const valid = (answer.json as { valid?: unknown } | undefined)?.valid;
        if (answer.status === 200 && valid === true) return { ok: true, message: 'API key valid' };
        return { ok: false, message: answerError(label, answer, redact(datadogMessage(answer))).message };
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        return { ok: false, message: (error as Error).message };
      }
    },
  };
}
