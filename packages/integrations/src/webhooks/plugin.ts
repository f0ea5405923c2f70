import { definePlugin, type FerryPluginV1 } from '@ferry/core';
import { parseWebhooksOptions, type WebhooksOptions } from './options.js';
import { runWebhookStepKind } from './step-kind.js';

/** `webhooks({ callbackBaseUrl })`: the `runWebhook` step kind. Serve callbacks with createWebhookCallbackServer. */
export function webhooks(options: WebhooksOptions): FerryPluginV1 {
  const parsed = parseWebhooksOptions(options);
  const stepKind = runWebhookStepKind(parsed);
  return definePlugin({ id: 'webhooks', register: (ctx) => ctx.stepKinds.add(stepKind) });
}
