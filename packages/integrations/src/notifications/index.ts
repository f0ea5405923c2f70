export { notifications } from './plugin.js';
export { webhookNotifier, type WebhookNotifierOptions } from './webhook-notifier.js';
export { slackNotifier, type SlackNotifierOptions } from './slack-notifier.js';
export { slackMessage, SLACK_DEFAULT_EVENTS, type SlackMessage } from './slack-message.js';
