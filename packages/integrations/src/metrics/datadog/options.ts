import { z } from 'zod';
import { commonOptions } from '../common-options.js';

export const datadogOptions = z
  .object({
    ...commonOptions,
    apiKey: z.string().min(1),
    applicationKey: z.string().min(1),
    /** The Datadog site: `datadoghq.com` (default), `us3.datadoghq.com`, `us5.datadoghq.com`, `datadoghq.eu`, `ap1.datadoghq.com`, `ddog-gov.com`. */
    site: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'a Datadog site host name such as datadoghq.eu')
      .default('datadoghq.com'),
    /** The API base URL; overrides the one derived from `site` (`https://api.<site>`), e.g. for a proxy. */
    url: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();

export type DatadogOptions = z.input<typeof datadogOptions>;
