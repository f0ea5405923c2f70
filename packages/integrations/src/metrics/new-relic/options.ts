import { z } from 'zod';
import { commonOptions } from '../common-options.js';

export const newRelicOptions = z
  .object({
    ...commonOptions,
    /** A New Relic user key (`NRAK-...`), sent as the `API-Key` header. */
    apiKey: z.string().min(1),
    /** The account the NRQL queries run against. */
    accountId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'a numeric account id').transform(Number)]),
    /** The data center of the account; picks the NerdGraph endpoint. */
    region: z.enum(['US', 'EU']).default('US'),
    /** The NerdGraph endpoint; overrides the one derived from `region`, e.g. for a proxy. */
    url: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();

export type NewRelicOptions = z.input<typeof newRelicOptions>;

export const NERDGRAPH_ENDPOINTS = {
  US: 'https://api.newrelic.com/graphql',
  EU: 'https://api.eu.newrelic.com/graphql',
} as const;
