import { renderTemplate, type HttpRequestV1, type StepContextV1, type WebhookConfig } from '@ferry/core';

/**
 * Renders the webhook's URI, headers and inline body. Values: the step's `armory`
 * variables plus `callbackUri`, the file's context overlaid with the step's, and
 * `{{secrets.NAME}}` through `ctx.secret`. The result holds secrets: callers never log it.
 */
export async function renderWebhookRequest(
  webhook: WebhookConfig,
  ctx: StepContextV1,
  input: { stepContext: Record<string, string>; callbackUri?: string; idempotencyKey: string },
): Promise<HttpRequestV1> {
  const values = {
    armory: { ...ctx.variables.armory, ...(input.callbackUri !== undefined ? { callbackUri: input.callbackUri } : {}) },
    context: { ...ctx.variables.context, ...input.stepContext },
  };
  const options = { secret: (name: string) => ctx.secret(name) };
  const render = (template: string) => renderTemplate(template, values, options);
  const headers: Record<string, string> = {};
  for (const header of webhook.headers) headers[header.key] = await render(header.value);
  headers['X-Ferry-Idempotency-Key'] = input.idempotencyKey;
  const body = webhook.bodyTemplate ? await render(webhook.bodyTemplate.inline) : undefined;
  if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  return { method: webhook.method.toUpperCase(), url: await render(webhook.uriTemplate), headers, ...(body !== undefined ? { body } : {}) };
}
