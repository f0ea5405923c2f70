import pc from 'picocolors';
import type { DeploymentView, EventView } from '../backend/types.js';
import { analysisText } from './frame.js';
import { applyEvent, initialLiveState } from './model.js';

/**
 * One plain line per event that matters to a person (no redraws): what the live view
 * prints when stdout is not a terminal (CI logs, pipes).
 */
export function eventLine(event: EventView, view: DeploymentView, color: boolean): string | undefined {
  const paint = pc.createColors(color);
  const step = event.stepId ? view.steps.find((s) => s.id === event.stepId) : undefined;
  const time = paint.dim(event.atIso.slice(11, 19));
  const where = event.target ? `${event.target}: ` : '';
  const say = (mark: string, text: string) => `${time} ${mark} ${where}${text}`;
  const reason = event.data.reason !== undefined ? ` (${String(event.data.reason)})` : '';
  switch (event.type) {
    case 'deployment.started':
      return say('▶', `deployment of ${view.application} started`);
    case 'deployment.queued':
      return say('…', 'queued behind a deployment in progress');
    case 'target.started':
      return say('▶', 'target started');
    case 'target.completed':
      return say(event.data.status === 'SUCCEEDED' ? paint.green('✔') : paint.red('✖'), `target ${String(event.data.status ?? 'completed')}${reason}`);
    case 'step.started':
      return say('▶', step?.title ?? event.stepId ?? 'step');
    case 'step.completed':
      return say(paint.green('✔'), step?.title ?? event.stepId ?? 'step');
    case 'step.failed':
      return say(paint.red('✖'), `${step?.title ?? event.stepId ?? 'step'}${reason}`);
    case 'step.waiting':
      return say('…', `${step?.title ?? event.stepId ?? 'step'}: waiting`);
    case 'approval.requested':
      return say(paint.yellow('?'), `approval requested: ${String(event.data.message ?? '')} — run: ferry deploy approve -i ${view.id} -t ${event.target ?? ''}`);
    case 'approval.granted':
      return say(paint.green('✔'), `approved${event.data.by ? ` by ${String(event.data.by)}` : ''}`);
    case 'approval.rejected':
      return say(paint.red('✖'), `rejected${event.data.by ? ` by ${String(event.data.by)}` : ''}`);
    case 'analysis.measured': {
      const state = applyEvent(initialLiveState(view), event);
      const value = Object.values(state.analysis[event.target ?? ''] ?? {})[0];
      return value ? say('≈', analysisText(value, paint)) : undefined;
    }
    case 'target.rollingBack':
      return say(paint.yellow('↩'), `rolling back${reason}`);
    case 'target.rolledBack':
      return say(paint.yellow('↩'), 'rolled back');
    case 'deployment.completed': {
      const status = String(event.data.status ?? '');
      return say(status === 'SUCCEEDED' ? paint.green('■') : paint.red('■'), `deployment ${status}${reason}`);
    }
    default:
      return undefined;
  }
}
