import { parsePluginOptions, type HttpTransportV1 } from '@ferry/core';
import { z } from 'zod';
import type { AgentTransportsV1 } from './transports.js';

const transportSchema = z.custom<HttpTransportV1>((value) => typeof (value as HttpTransportV1 | undefined)?.send === 'function', 'must be an HttpTransportV1 (an object with send)');
const agentsSchema = z.custom<AgentTransportsV1>((value) => typeof (value as AgentTransportsV1 | undefined)?.get === 'function', 'must have get(agentIdentifier)');

const schema = z.strictObject({
  /** Where external systems reach the callback receiver, e.g. `https://ferry.example.com`. */
  callbackBaseUrl: z.url({ protocol: /^https?$/ }),
  /** Replaces Node's fetch for `networkMode: direct` (a proxy, a test double). */
  transport: transportSchema.optional(),
  /** Transports of Remote Network Agents, by agent identifier (`networkMode: remoteNetworkAgent`). */
  agentTransports: agentsSchema.optional(),
  /** First retry backoff; doubles per retry, capped at 30 s. Default 1000. */
  retryBaseDelayMs: z.number().int().min(0).max(60_000).default(1000),
  /** Per attempt. Default 30 s. */
  requestTimeoutMs: z.number().int().min(1).max(600_000).default(30_000),
});

export type WebhooksOptions = z.input<typeof schema>;
export type ParsedWebhooksOptions = z.output<typeof schema>;

export function parseWebhooksOptions(options: unknown): ParsedWebhooksOptions {
  return parsePluginOptions('webhooks', schema, options);
}
