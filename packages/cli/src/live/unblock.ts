import type { DeploymentView, EnvironmentView } from '../backend/types.js';

/** What a target waits for, and the exact command that unblocks it. */
export interface Blocker {
  waitingFor: string;
  commands: string[];
}

/** The command prefix shown in hints (`ferry`, or with `--hub URL` when that is how it was run). */
export type CommandPrefix = string;

export function blockerOf(view: DeploymentView, environment: EnvironmentView, now: number, prefix: CommandPrefix = 'ferry'): Blocker | undefined {
  const on = `-i ${view.id} -t ${environment.name}`;
  const approval = environment.approval;
  if (approval) {
    const roles = approval.requiresRoles.length > 0 ? ` (requires ${approval.requiresRoles.join(', ')})` : '';
    if (approval.kind === 'rollForward') {
      return { waitingFor: `a decision to roll forward after analysis${roles}`, commands: [`${prefix} deploy rollforward ${on}`, `${prefix} deploy rollback ${on}`] };
    }
    if (approval.kind === 'rollBack') {
      return { waitingFor: `a decision after failed analysis${roles}`, commands: [`${prefix} deploy rollback ${on}`, `${prefix} deploy rollforward ${on}`] };
    }
    return { waitingFor: `approval${roles}: ${approval.message}`, commands: [`${prefix} deploy approve ${on}`, `${prefix} deploy reject ${on}`] };
  }
  const waiting = environment.steps.find((step) => step.status === 'WAITING');
  if (!waiting) return undefined;
  if (waiting.kind === 'pause' && waiting.wakeAtIso) {
    const left = Math.max(0, Math.ceil((Date.parse(waiting.wakeAtIso) - now) / 1000));
    return { waitingFor: `a pause, ${formatSeconds(left)} left`, commands: [`${prefix} deploy skip ${on}`] };
  }
  if (waiting.kind === 'runWebhook') return { waitingFor: `the webhook's callback (${waiting.title})`, commands: [`${prefix} deploy rollback ${on}`] };
  if (waiting.kind === 'analysis') return { waitingFor: `the next analysis window (${waiting.title})`, commands: [`${prefix} deploy rollback ${on}`] };
  return { waitingFor: waiting.title, commands: [`${prefix} deploy rollback ${on}`] };
}

export function formatSeconds(total: number): string {
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  if (minutes < 60) return `${minutes}m${seconds ? `${String(seconds).padStart(2, '0')}s` : ''}`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
