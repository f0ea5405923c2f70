import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The app's Prometheus metrics, on a private registry so several apps can live in one test process. */
export interface AppMetrics {
  registry: Registry;
  requests: Counter<'code' | 'method' | 'path'>;
  duration: Histogram<'code' | 'method' | 'path'>;
}

export function createMetrics(options: { defaultMetrics: boolean }): AppMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by status code, method and route',
    labelNames: ['code', 'method', 'path'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by status code, method and route',
    labelNames: ['code', 'method', 'path'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // The series a failing version would write exist from the start at 0, so an error-rate
  // query (`sum(rate(...{code=~"5.."}...))`) reads 0 for a healthy version instead of "no data".
  requests.labels({ code: '500', method: 'GET', path: '/' }).inc(0);
  requests.labels({ code: '200', method: 'GET', path: '/' }).inc(0);
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return { registry, requests, duration };
}
