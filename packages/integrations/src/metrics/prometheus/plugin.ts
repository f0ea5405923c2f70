import { definePlugin, type FerryPluginV1 } from '@ferry/core';
import type { PrometheusOptions } from './options.js';
import { prometheusMetricProvider } from './provider.js';

/** `prometheus({ name: 'prom', url: 'http://prometheus:9090' })`: a Prometheus metric provider. */
export function prometheus(options: PrometheusOptions): FerryPluginV1 {
  const provider = prometheusMetricProvider(options);
  return definePlugin({ id: `metrics.${provider.name}`, register: (ctx) => ctx.metricProviders.add(provider) });
}
