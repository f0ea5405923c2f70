import type { EngineEventV1, Json } from '@ferry/core';

/** The events a Slack channel cares about: people needed, things broke, things ended. */
export const SLACK_DEFAULT_EVENTS = ['approval.requested', 'step.failed', 'target.rollingBack', 'target.rolledBack', 'deployment.completed'];

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

/** A Slack-compatible payload (`text` for notifications, `blocks` for the channel) for one event. */
export function slackMessage(event: EngineEventV1): SlackMessage {
  const headline = describe(event);
  const facts = [`*Deployment* \`${escape(event.deploymentId)}\``, ...(event.target ? [`*Target* ${escape(event.target)}`] : []), ...(event.stepId ? [`*Step* \`${escape(event.stepId)}\``] : [])];
  return {
    text: headline,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: headline } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${facts.join(' · ')} · ${new Date(event.at).toISOString()}` }] },
    ],
  };
}

function describe(event: EngineEventV1): string {
  const where = event.target ? ` on *${escape(event.target)}*` : '';
  const reason = str(event.data['reason']);
  const because = reason ? `: ${escape(reason)}` : '';
  switch (event.type) {
    case 'approval.requested': {
      const message = str(event.data['message']);
      const roles = Array.isArray(event.data['requiresRoles']) ? (event.data['requiresRoles'] as Json[]).map(String) : [];
      return `:raised_hand: Approval needed${where}${message ? `: ${escape(message)}` : ''}${roles.length > 0 ? ` (roles: ${roles.map(escape).join(', ')})` : ''}`;
    }
    case 'step.failed':
      return `:x: A step failed${where}${because}`;
    case 'target.rollingBack':
      return `:rewind: Rolling back${where}${because}`;
    case 'target.rolledBack':
      return `:leftwards_arrow_with_hook: Rolled back${where}${because}`;
    case 'deployment.completed': {
      const status = str(event.data['status']) ?? 'ENDED';
      const icon = status === 'SUCCEEDED' ? ':white_check_mark:' : status === 'CANCELLED' || status === 'REJECTED' ? ':no_entry_sign:' : ':x:';
      return `${icon} Deployment ${status === 'SUCCEEDED' ? 'succeeded' : `ended ${escape(status)}`}${because}`;
    }
    default:
      return `:information_source: ${escape(event.type)}${where}${because}`;
  }
}

function str(value: Json | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Slack's mrkdwn control characters. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
