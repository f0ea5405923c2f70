import { FerryUnavailableError, parsePluginOptions, type MetricProviderV1, type MetricWindowV1 } from '@ferry/core';
import { createHttpClient, createRedactor, send, type HttpAnswer, type HttpRequest, type SendContext } from '../../http/index.js';
import { answerError } from '../answer-error.js';
import { sendPolicy } from '../common-options.js';
import { readPem } from '../read-pem.js';
import { redactJson } from '../redact-json.js';
import { trimRaw } from '../trim-raw.js';
import { prometheusOptions, type PrometheusOptions } from './options.js';
import { instantValue, prometheusData, prometheusMessage, rangeSeries } from './parse.js';

/**
 * A Prometheus metric provider: per window, an instant query at the window's end gives the
 * value and a range query over the window (step = `window.stepSeconds`) gives the series.
 */
export function prometheusMetricProvider(options: PrometheusOptions): MetricProviderV1 {
  const parsed = parsePluginOptions('prometheus', prometheusOptions, options);
  const auth = parsed.auth;
  const tls = parsed.tls;
  const label = `prometheus "${parsed.name}"`;
  const client = createHttpClient({
    baseUrl: parsed.url,
    ...(auth && 'bearerToken' in auth ? { headers: { Authorization: `Bearer ${auth.bearerToken}` } } : {}),
    ...(auth && 'username' in auth ? { basicAuth: { username: auth.username, password: auth.password } } : {}),
    ...(tls
      ? {
          tls: {
            rejectUnauthorized: !tls.insecureSkipVerify,
            ...optional('ca', readPem('prometheus', 'tls.caFile', tls.caFile)),
            ...optional('cert', readPem('prometheus', 'tls.certFile', tls.certFile)),
            ...optional('key', readPem('prometheus', 'tls.keyFile', tls.keyFile)),
          },
        }
      : {}),
  });
  const url = new URL(parsed.url);
  const secrets = [auth && 'bearerToken' in auth ? auth.bearerToken : undefined, auth && 'password' in auth ? auth.password : undefined, url.password || undefined];
  const ctx: SendContext = {
    client,
    policy: sendPolicy(parsed),
    label,
    redact: createRedactor(secrets),
    messageOf: prometheusMessage,
  };

  async function call(request: HttpRequest, signal: AbortSignal, query?: string) {
    const answer = await send(ctx, request, signal);
    if (answer.status >= 300) throw answerError(label, answer, ctx.redact(prometheusMessage(answer)), query);
    const data = prometheusData(answer);
    if (!data) throw notPrometheus(answer);
    return data;
  }

  function notPrometheus(answer: HttpAnswer): FerryUnavailableError {
    return new FerryUnavailableError(`${label}: the answer is not a Prometheus API response (HTTP ${answer.status}): ${ctx.redact(prometheusMessage(answer))}`, {
      code: 'metric_provider_bad_answer',
      details: { status: answer.status },
    });
  }

  return {
    specificationVersion: 'v1',
    kind: 'prometheus',
    name: parsed.name,
    async query({ query, window, signal }) {
      signal.throwIfAborted();
      // Both queries share a signal so that the first failure cancels the other.
      const both = new AbortController();
      const onAbort = () => both.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const [instant, range] = await Promise.all([
          call({ method: 'GET', path: '/api/v1/query', params: { query, time: seconds(window.end) } }, both.signal, query),
          call({ method: 'GET', path: '/api/v1/query_range', params: rangeParams(query, window) }, both.signal, query),
        ]).catch((error: unknown) => {
          both.abort(error);
          throw error;
        });
        return {
          value: instantValue(label, query, instant),
          series: rangeSeries(label, query, range),
          raw: redactJson({ instant: trimRaw(instant), range: trimRaw(range) }, ctx.redact),
        };
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
    async testConnection({ signal }) {
      try {
        const answer = await send(ctx, { method: 'GET', path: '/api/v1/status/buildinfo' }, signal);
        const version = (answer.json as { data?: { version?: unknown } } | undefined)?.data?.version;
        if (answer.status === 200 && typeof version === 'string') return { ok: true, message: `Prometheus ${version}` };
        if (answer.status === 404) {
          // Some Prometheus-compatible servers lack buildinfo; readiness is enough.
          const ready = await send(ctx, { method: 'GET', path: '/-/ready' }, signal);
          if (ready.status === 200) return { ok: true, message: 'ready (version unknown)' };
          return { ok: false, message: answerError(label, ready, ctx.redact(prometheusMessage(ready))).message };
        }
        if (answer.status >= 300) return { ok: false, message: answerError(label, answer, ctx.redact(prometheusMessage(answer))).message };
        return { ok: false, message: notPrometheus(answer).message };
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        return { ok: false, message: (error as Error).message };
      }
    },
  };
}

function rangeParams(query: string, window: MetricWindowV1): Record<string, string | number> {
  return { query, start: seconds(window.start), end: seconds(window.end), step: window.stepSeconds };
}

function seconds(epochMs: number): string {
  return String(epochMs / 1000);
}

function optional<K extends string>(key: K, value: Buffer | undefined): { [P in K]?: Buffer } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: Buffer };
}
