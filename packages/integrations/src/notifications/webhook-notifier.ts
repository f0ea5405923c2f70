import { parsePluginOptions, type NotifierV1 } from '@ferry/core';
import { z } from 'zod';
import { postJson } from './post-json.js';

const schema = z.strictObject({
  name: z.string().min(1),
  url: z.url({ protocol: /^https?$/ }),
  /** Event types to send; absent = all. */
  events: z.array(z.string().min(1)).optional(),
  /** Sent with every request (e.g. an Authorization header); never logged. */
  headers: z.record(z.string(), z.string()).optional(),
});

export type WebhookNotifierOptions = z.input<typeof schema>;

/** POSTs every matching engine event as JSON: `{ "event": EngineEventV1 }`. */
export function webhookNotifier(options: WebhookNotifierOptions): NotifierV1 {
  const parsed = parsePluginOptions('webhookNotifier', schema, options);
  return {
    specificationVersion: 'v1',
    kind: 'webhook',
    name: parsed.name,
    ...(parsed.events ? { events: parsed.events } : {}),
    notify: (event, { signal }) => postJson(parsed.name, parsed.url, { event }, parsed.headers ?? {}, signal),
  };
}
