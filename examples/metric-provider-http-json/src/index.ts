/**
 * @ferry-examples/metric-provider-http-json — a Ferry metric provider published as its own
 * package. Register it like Ferry's own providers:
 *
 *   createEngine({ store, plugins: [..., httpJson({ name: 'metrics', url: 'https://metrics.internal/api/query' })] })
 *
 * and name it in deploy files: `analysis.defaultMetricProviderName: metrics`.
 */
import { definePlugin, type FerryPluginV1 } from '@ferry/core';
import type { HttpJsonOptions } from './options.js';
import { httpJsonMetricProvider } from './provider.js';

/** The plugin: one metric provider named `options.name`. Options are validated here, at construction. */
export function httpJson(options: HttpJsonOptions): FerryPluginV1 {
  const provider = httpJsonMetricProvider(options);
  return definePlugin({ id: `metrics.${provider.name}`, register: (ctx) => ctx.metricProviders.add(provider) });
}

export { httpJsonMetricProvider };
export { httpJsonOptionsSchema, type HttpJsonOptions } from './options.js';
export { valueAtPath } from './value-at-path.js';
