import pc from 'picocolors';
import type { EnvironmentView, StepView } from '../backend/types.js';
import type { AnalysisValue, LiveState } from './model.js';
import { blockerOf, formatSeconds, type CommandPrefix } from './unblock.js';

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface FrameOptions {
  color: boolean;
  /** Advances the spinner. */
  tick: number;
  now: number;
  prefix?: CommandPrefix;
}

/** The whole live view as lines: the deployment, then each target with its step, weight, pods, analysis and blocker. */
export function renderFrame(state: LiveState, options: FrameOptions): string[] {
  const paint = pc.createColors(options.color);
  const { view } = state;
  const started = view.startedAtIso ? Date.parse(view.startedAtIso) : Date.parse(view.createdAtIso);
  const ended = view.completedAtIso ? Date.parse(view.completedAtIso) : options.now;
  const elapsed = formatSeconds(Math.max(0, Math.round((ended - started) / 1000)));
  const lines = [`${paint.bold(view.application)}  ${paint.dim(view.id)}  ${statusText(view.status, paint)}  ${paint.dim(elapsed)}${view.reason ? `  ${paint.dim(view.reason)}` : ''}`];
  const nameWidth = Math.max(...view.environments.map((e) => e.name.length), 4);
  for (const environment of view.environments) {
    const where = `${environment.account}/${environment.namespace}`;
    const weight = environment.weight !== null ? `  ${weightBar(environment.weight, paint)}` : '';
    lines.push(`  ${markOf(environment.status, options.tick, paint)} ${environment.name.padEnd(nameWidth)}  ${paint.dim(where)}  ${statusText(environment.status, paint)}${weight}`);
    lines.push(...detailLines(state, environment, options, paint));
  }
  return lines;
}

function detailLines(state: LiveState, environment: EnvironmentView, options: FrameOptions, paint: ReturnType<typeof pc.createColors>): string[] {
  const lines: string[] = [];
  const label = (text: string) => `      ${paint.dim(text.padEnd(9))} `;
  const active = !['PENDING', 'SUCCEEDED', 'SKIPPED', 'CANCELLED'].includes(environment.status) || state.view.status === 'RUNNING' && environment.status !== 'PENDING' && !isDone(environment);
  const current = currentStep(environment);
  if (current && active) {
    const index = environment.steps.indexOf(current) + 1;
    lines.push(`${label('step')}${index}/${environment.steps.length} ${current.title}${current.status === 'WAITING' ? paint.yellow(' (waiting)') : ''}`);
  }
  const pods = state.pods[environment.name];
  if (pods && pods.length > 0 && (active || environment.status === 'ROLLED_BACK' || environment.status === 'SUCCEEDED')) {
    lines.push(`${label('pods')}${pods.map((p) => `${paint.bold(p.version)} ${p.ready === p.desired ? p.ready : paint.yellow(String(p.ready))}/${p.desired}`).join('  ')}`);
  }
  for (const value of Object.values(state.analysis[environment.name] ?? {})) lines.push(`${label('analysis')}${analysisText(value, paint)}`);
  if (environment.reason && (environment.status === 'FAILED' || environment.status === 'ROLLED_BACK' || environment.status === 'ROLLING_BACK')) {
    lines.push(`${label('reason')}${paint.red(environment.reason)}`);
  }
  if (active) {
    const blocker = blockerOf(state.view, environment, options.now, options.prefix);
    if (blocker) {
      lines.push(`${label('waiting')}${paint.yellow(blocker.waitingFor)}`);
      lines.push(`${label('unblock')}${blocker.commands.map((c) => paint.cyan(c)).join(paint.dim('  or  '))}`);
    }
  }
  return lines;
}

function isDone(environment: EnvironmentView): boolean {
  return ['SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELLED', 'SKIPPED'].includes(environment.status);
}

/** The step running or waiting now; else the last that ran. */
export function currentStep(environment: EnvironmentView): StepView | undefined {
  return (
    environment.steps.find((s) => s.status === 'RUNNING' || s.status === 'WAITING') ??
    [...environment.steps].reverse().find((s) => s.status !== 'PENDING')
  );
}

export function analysisText(value: AnalysisValue, paint: ReturnType<typeof pc.createColors>): string {
  const shown = value.value === null ? 'no data' : formatNumber(value.value);
  const limits = [value.lowerLimit !== null ? `≥ ${formatNumber(value.lowerLimit)}` : '', value.upperLimit !== null ? `≤ ${formatNumber(value.upperLimit)}` : ''].filter(Boolean).join(' and ');
  const passed = /pass|success/i.test(value.result);
  const failed = /fail/i.test(value.result);
  const verdict = passed ? paint.green(`✔ ${value.result}`) : failed ? paint.red(`✖ ${value.result}`) : paint.yellow(value.result || '…');
  return `${value.query} = ${paint.bold(shown)}${limits ? ` (limit ${limits})` : ''}  ${verdict}  ${paint.dim(`run ${value.run}`)}`;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(4).replace(/\.?0+$/, '');
}

function weightBar(weight: number, paint: ReturnType<typeof pc.createColors>): string {
  const filled = Math.round(weight / 10);
  return `${paint.cyan('█'.repeat(filled))}${paint.dim('░'.repeat(10 - filled))} ${weight}%`;
}

function markOf(status: string, tick: number, paint: ReturnType<typeof pc.createColors>): string {
  switch (status) {
    case 'SUCCEEDED':
      return paint.green('✔');
    case 'FAILED':
      return paint.red('✖');
    case 'ROLLED_BACK':
      return paint.yellow('↩');
    case 'CANCELLED':
    case 'SKIPPED':
      return paint.dim('−');
    case 'PENDING':
      return paint.dim('○');
    case 'PAUSED':
    case 'AWAITING_APPROVAL':
      return paint.yellow('‖');
    default:
      return paint.cyan(SPINNER[tick % SPINNER.length] as string);
  }
}

export function statusText(status: string, paint: ReturnType<typeof pc.createColors>): string {
  if (status === 'SUCCEEDED') return paint.green(status);
  if (['FAILED', 'REJECTED', 'ROLLED_BACK', 'CANCELLED'].includes(status)) return paint.red(status);
  if (['PAUSED', 'AWAITING_APPROVAL', 'ROLLING_BACK', 'QUEUED'].includes(status)) return paint.yellow(status);
  return paint.cyan(status);
}
