import { parsePluginOptions, type NotifierV1 } from '@ferry/core';
import { z } from 'zod';
import { postJson } from './post-json.js';
import { SLACK_DEFAULT_EVENTS, slackMessage } from './slack-message.js';

const schema = z.strictObject({
  name: z.string().min(1),
  /** A Slack incoming-webhook URL. It is a secret: it never appears in errors or logs. */
  webhookUrl: z.url({ protocol: /^https?$/ }),
  /** Event types to post; default: approvals requested, failures, rollbacks and completions. */
  events: z.array(z.string().min(1)).optional(),
});

export type SlackNotifierOptions = z.input<typeof schema>;

/** Posts a human message (`text` + `blocks`) to a Slack incoming webhook. */
export function slackNotifier(options: SlackNotifierOptions): NotifierV1 {
  const parsed = parsePluginOptions('slackNotifier', schema, options);
  return {
    specificationVersion: 'v1',
    kind: 'slack',
    name: parsed.name,
    events: parsed.events ?? SLACK_DEFAULT_EVENTS,
    notify: (event, { signal }) => postJson(parsed.name, parsed.webhookUrl, slackMessage(event), {}, signal),
  };
}
