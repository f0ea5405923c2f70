import { z } from 'zod';

export const httpJsonOptionsSchema = z.strictObject({
  /** The name deploy files use as `metricProviderName`. */
  name: z.string().min(1),
  /** The endpoint that answers one query, e.g. `https://metrics.internal/api/query`. */
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  /**
   * GET sends `query`, `start`, `end` (ISO-8601) and `step` (seconds) as URL parameters;
   * POST sends them as a JSON body `{query, start, end, stepSeconds}`.
   */
  method: z.enum(['GET', 'POST']).default('GET'),
  /** Where the number is in the answer, e.g. `data.result[0].value`. Default `value`. */
  valuePath: z.string().default('value'),
  /** Where an optional series of numbers is (for statistical judges), e.g. `data.points`. */
  seriesPath: z.string().optional(),
  /** Sent with every request, e.g. `{Authorization: 'Bearer ...'}`. Never logged or stored. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Asked by testConnection; default the query URL itself with a GET. */
  healthUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
});

export type HttpJsonOptions = z.input<typeof httpJsonOptionsSchema>;
export type ParsedHttpJsonOptions = z.output<typeof httpJsonOptionsSchema>;
