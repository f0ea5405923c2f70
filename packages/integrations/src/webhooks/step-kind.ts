import { FerryInputError, type StepContextV1, type StepKindV1, type StepOutcomeV1, type WebhookConfig } from '@ferry/core';
import { z } from 'zod';
import { callbackUri } from './callback-uri.js';
import { directTransport } from './direct-transport.js';
import type { ParsedWebhooksOptions } from './options.js';
import { renderWebhookRequest } from './render-request.js';
import { sendWithRetries } from './send-with-retries.js';
import { transportFor } from './transports.js';

const DEFAULT_CALLBACK_TIMEOUT_MS = 24 * 3_600_000;
const MAX_REASON_MESSAGE = 500;

const stepSchema = z.object({
  kind: z.literal('runWebhook').optional(),
  name: z.string().min(1),
  context: z.record(z.string(), z.string()).default({}),
});
type RunWebhookConfig = z.output<typeof stepSchema>;

/** What the step persists once its request was answered 2xx and it waits for the callback. */
const awaitingSchema = z.object({
  phase: z.literal('awaitingCallback'),
  sentAt: z.number(),
  deadline: z.number(),
});
type AwaitingState = z.output<typeof awaitingSchema>;

/**
 * `runWebhook`: sends the named webhook, then (unless `disableCallback`) waits for the
 * external system to call back through `engine.callback`.
 *
 * Idempotency: "sent" is persisted after the send, as the state of the `waiting` outcome
 * (a plugin cannot write state mid-run). A crash between the send and that write re-runs
 * the step, which sends again: delivery is at-least-once. Every send carries the same
 * `X-Ferry-Idempotency-Key` (deployment id + step id) so receivers can drop duplicates,
 * and each send's callback token stays valid, so answering either copy works. Persisting
 * before the send would instead make it at-most-once: a crash could lose the request and
 * the step would only learn so at the callback timeout, 24 hours later.
 */
export function runWebhookStepKind(options: ParsedWebhooksOptions): StepKindV1 {
  const transports = { direct: options.transport ?? directTransport(), agents: options.agentTransports };
  const policy = (webhook: WebhookConfig) => ({ retries: webhook.retryCount, baseDelayMs: options.retryBaseDelayMs, timeoutMs: options.requestTimeoutMs });

  async function send(ctx: StepContextV1, webhook: WebhookConfig, step: RunWebhookConfig): Promise<StepOutcomeV1> {
    const transport = transportFor(webhook, ctx.target, transports, ctx.tenant);
    let uri: string | undefined;
    if (!webhook.disableCallback) {
      if (!ctx.issueCallbackToken) return { status: 'failed', reason: `webhook "${webhook.name}" waits for a callback, but this engine cannot issue callback tokens` };
      uri = callbackUri(options.callbackBaseUrl, ctx.deploymentId, ctx.stepId, await ctx.issueCallbackToken());
    }
    const request = await renderWebhookRequest(webhook, ctx, { stepContext: step.context, idempotencyKey: `${ctx.deploymentId}/${ctx.stepId}`, ...(uri !== undefined ? { callbackUri: uri } : {}) });
    const result = await sendWithRetries(transport, request, policy(webhook), ctx.signal);
    const facts = { webhook: webhook.name, method: request.method, networkMode: webhook.networkMode, attempts: result.attempts };
    if (!result.ok || result.response.status < 200 || result.response.status >= 300) {
      const problem = result.ok ? `answered HTTP ${result.response.status}` : result.problem;
      ctx.logger.warn({ ...facts, problem }, 'webhook failed');
      return { status: 'failed', reason: `webhook "${webhook.name}" ${problem} (${result.attempts} attempt${result.attempts === 1 ? '' : 's'})` };
    }
    const status = result.response.status;
    ctx.logger.info({ ...facts, status }, 'webhook sent');
    const sent = { type: 'webhook.sent', data: { ...facts, status, callback: !webhook.disableCallback } };
    if (webhook.disableCallback) return { status: 'succeeded', events: [sent] };
    const now = ctx.now();
    const state: AwaitingState = { phase: 'awaitingCallback', sentAt: now, deadline: now + (webhook.callbackTimeout?.ms ?? DEFAULT_CALLBACK_TIMEOUT_MS) };
    return { status: 'waiting', state, wakeAt: state.deadline, events: [sent] };
  }

  function awaitCallback(ctx: StepContextV1, webhook: WebhookConfig, state: AwaitingState): StepOutcomeV1 {
    const callback = ctx.callback;
    if (callback) {
      const event = { type: 'webhook.callback', data: { webhook: webhook.name, success: callback.success, by: callback.by, ...(callback.mdMessage !== undefined ? { mdMessage: callback.mdMessage } : {}) } };
      if (callback.success) return { status: 'succeeded', state, events: [event] };
      const message = callback.mdMessage ? `: ${truncate(callback.mdMessage)}` : '';
      return { status: 'failed', reason: `webhook "${webhook.name}" reported failure${message}`, state, events: [event] };
    }
    if (ctx.now() >= state.deadline) {
      return {
        status: 'failed',
        reason: `no callback for webhook "${webhook.name}" within ${formatMs(state.deadline - state.sentAt)} of sending it (deadline ${new Date(state.deadline).toISOString()})`,
        state,
      };
    }
    return { status: 'waiting', state, wakeAt: state.deadline };
  }

  return {
    specificationVersion: 'v1',
    kind: 'runWebhook',
    validate(config, { config: file }) {
      const step = parseStep(config);
      if (!Object.hasOwn(file.webhooks, step.name)) {
        const known = Object.keys(file.webhooks);
        throw new FerryInputError(`unknown webhook "${step.name}"${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`, { code: 'unknown_webhook' });
      }
      return step;
    },
    async run(ctx) {
      const step = parseStep(ctx.step.config);
      const webhook = Object.hasOwn(ctx.config.webhooks, step.name) ? ctx.config.webhooks[step.name] : undefined;
      if (!webhook) return { status: 'failed', reason: `unknown webhook "${step.name}"` };
      const awaiting = awaitingSchema.safeParse(ctx.state);
      return awaiting.success ? awaitCallback(ctx, webhook, awaiting.data) : send(ctx, webhook, step);
    },
  };
}

function parseStep(config: unknown): RunWebhookConfig {
  const parsed = stepSchema.safeParse(config);
  if (!parsed.success) throw new FerryInputError(`runWebhook: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'step'}: ${i.message}`).join('; ')}`, { code: 'invalid_step' });
  return parsed.data;
}

function truncate(text: string): string {
  return text.length > MAX_REASON_MESSAGE ? `${text.slice(0, MAX_REASON_MESSAGE)}…` : text;
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} hour${ms === 3_600_000 ? '' : 's'}`;
  if (ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  return `${ms / 1000} seconds`;
}
