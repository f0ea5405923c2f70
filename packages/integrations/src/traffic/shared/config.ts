import { FerryError, FerryInputError, type Json } from '@ferry/core';
import type { z } from 'zod';

/** Parses a provider's `trafficManagement` block; errors name the provider key and the field. */
export function parseTrafficConfig<S extends z.ZodType>(kind: string, schema: S, config: Json): z.output<S> {
  const result = schema.safeParse(config);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${[kind, ...i.path.map(String)].join('.')}: ${i.message}`);
  throw new FerryInputError(`trafficManagement ${kind}: invalid configuration: ${problems.join('; ')}`, { code: 'invalid_traffic_config' });
}

/** The state `prepare` returned; the strategy hands it back to every later call. */
export function preparedState<S extends z.ZodType>(kind: string, schema: S, state: Json | undefined): z.output<S> {
  const result = schema.safeParse(state);
  if (result.success) return result.data;
  throw new FerryError('traffic_not_prepared', `traffic provider ${kind}: called without the state its prepare returned`);
}

export function checkWeight(kind: string, weight: number): number {
  if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
    throw new FerryInputError(`traffic provider ${kind}: weight must be an integer from 0 to 100, got ${weight}`, { code: 'invalid_weight' });
  }
  return weight;
}
