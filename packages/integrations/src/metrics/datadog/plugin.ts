import { definePlugin, type FerryPluginV1 } from '@ferry/core';
import type { DatadogOptions } from './options.js';
import { datadogMetricProvider } from './provider.js';

/** `datadog({ name: 'dd', apiKey, applicationKey, site: 'datadoghq.eu' })`: a Datadog metric provider. */
export function datadog(options: DatadogOptions): FerryPluginV1 {
  const provider = datadogMetricProvider(options);
  return definePlugin({ id: `metrics.${provider.name}`, register: (ctx) => ctx.metricProviders.add(provider) });
}
