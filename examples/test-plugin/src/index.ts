/**
 * An example third-party plugin: it depends only on @ferry/core's public API, registers a
 * custom step kind and a metric provider, and validates its options at construction.
 */
import { definePlugin, parsePluginOptions, type FerryPluginV1 } from '@ferry/core';
import { z } from 'zod';
import { objectPresentStep } from './object-present-step.js';
import { tableMetricProvider } from './table-metric-provider.js';

export const acmeOptionsSchema = z.object({
  /** The metric provider's name, as deploy files refer to it (`metricProviderName`). */
  metricsName: z.string().min(1),
  /** Query name → the value it reports. */
  values: z.record(z.string(), z.number()),
});

export type AcmeOptions = z.input<typeof acmeOptionsSchema>;

export function acmePlugin(options: AcmeOptions): FerryPluginV1 {
  const parsed = parsePluginOptions('acme', acmeOptionsSchema, options);
  return definePlugin({
    id: `acme.${parsed.metricsName}`,
    register(ctx) {
      ctx.stepKinds.add(objectPresentStep());
      ctx.metricProviders.add(tableMetricProvider(parsed.metricsName, parsed.values));
      ctx.logger.debug({ metricsName: parsed.metricsName }, 'acme plugin registered');
    },
  });
}

export { objectPresentStep, tableMetricProvider };
