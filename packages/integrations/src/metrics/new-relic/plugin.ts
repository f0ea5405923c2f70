import { definePlugin, type FerryPluginV1 } from '@ferry/core';
import type { NewRelicOptions } from './options.js';
import { newRelicMetricProvider } from './provider.js';

/** `newRelic({ name: 'nr', apiKey, accountId: 1234567, region: 'EU' })`: a New Relic metric provider. */
export function newRelic(options: NewRelicOptions): FerryPluginV1 {
  const provider = newRelicMetricProvider(options);
  return definePlugin({ id: `metrics.${provider.name}`, register: (ctx) => ctx.metricProviders.add(provider) });
}
