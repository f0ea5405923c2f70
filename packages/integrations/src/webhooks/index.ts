export { webhooks } from './plugin.js';
export { runWebhookStepKind } from './step-kind.js';
export { parseWebhooksOptions, type WebhooksOptions, type ParsedWebhooksOptions } from './options.js';
export { directTransport } from './direct-transport.js';
export { transportFor, type AgentTransportsV1 } from './transports.js';
export { callbackUri, CALLBACK_ROUTE } from './callback-uri.js';
export { sendWithRetries, type RetryPolicy, type SendResult } from './send-with-retries.js';
export {
  createWebhookCallbackServer,
  registerWebhookCallbackRoutes,
  type WebhookCallbackServer,
  type WebhookCallbackServerOptions,
  type WebhookCallbackRoutesOptions,
} from './callback-server.js';
