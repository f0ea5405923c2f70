import { z } from 'zod';
import { commonOptions } from '../common-options.js';

export const prometheusOptions = z
  .object({
    ...commonOptions,
    /** Base URL of the Prometheus (or Prometheus-compatible) HTTP API, e.g. `http://prometheus.monitoring:9090`. */
    url: z.url({ protocol: /^https?$/ }),
    auth: z
      .union([
        z.object({ bearerToken: z.string().min(1) }).strict(),
        z.object({ username: z.string().min(1), password: z.string() }).strict(),
      ])
      .optional(),
    tls: z
      .object({
        /** PEM bundle of the CAs that sign the server's certificate (in addition to the system's). */
        caFile: z.string().min(1).optional(),
        /** Do not verify the server's certificate. For development only. */
        insecureSkipVerify: z.boolean().default(false),
        /** Client certificate and key (PEM), for mutual TLS; both or neither. */
        certFile: z.string().min(1).optional(),
        keyFile: z.string().min(1).optional(),
      })
      .strict()
      .refine((tls) => (tls.certFile === undefined) === (tls.keyFile === undefined), {
        message: 'certFile and keyFile go together',
      })
      .optional(),
  })
  .strict();

export type PrometheusOptions = z.input<typeof prometheusOptions>;
