/* global process, console */
import { appendFile } from 'node:fs/promises';

// The runner's file commands: outputs and the job summary are files named by env vars.

/** @param {NodeJS.ProcessEnv} env @param {Record<string, string>} outputs */
export async function setOutputs(env, outputs) {
  const lines = Object.entries(outputs).map(([name, value]) => {
    if (/[\r\n]/.test(value)) {
      const delimiter = `ferry_${Math.random().toString(36).slice(2)}`;
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    }
    return `${name}=${value}\n`;
  });
  if (env.GITHUB_OUTPUT) await appendFile(env.GITHUB_OUTPUT, lines.join(''));
  else for (const [name, value] of Object.entries(outputs)) console.log(`${name}=${value}`);
}

/** @param {NodeJS.ProcessEnv} env @param {string} markdown */
export async function writeSummary(env, markdown) {
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}

/**
 * Keeps a value out of the job's log: the runner swallows the command and hides the value
 * from then on. Only on a runner: anywhere else the line would print the value itself.
 * @param {string} value
 */
export function mask(value) {
  if (value && process.env.GITHUB_ACTIONS === 'true') console.log(`::add-mask::${value}`);
}

/** @param {string} message */
export function error(message) {
  console.log(`::error::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`);
}

/**
 * @param {{ application: string, id: string, link: string, status: string, waited: boolean,
 *   environments?: Array<{ name: string, status: string, reason?: string | null }>, reason?: string | null }} run
 */
export function summaryMarkdown(run) {
  const icon = { SUCCEEDED: '✅', FAILED: '❌', CANCELLED: '⏹️', REJECTED: '⛔' }[run.status] ?? '⏳';
  const rows = [
    `## ${icon} Ferry deployment of ${escapeCell(run.application)}: ${run.status}`,
    '',
    '| | |',
    '|---|---|',
    `| Deployment | [${escapeCell(run.id)}](${run.link}) |`,
    `| Status | ${run.status}${run.waited ? '' : ' (not waited for)'} |`,
    ...(run.reason ? [`| Reason | ${escapeCell(run.reason)} |`] : []),
  ];
  if (run.environments?.length) {
    rows.push('', '| Target | Status | Reason |', '|---|---|---|');
    for (const env of run.environments) rows.push(`| ${escapeCell(env.name)} | ${env.status} | ${escapeCell(env.reason ?? '')} |`);
  }
  return `${rows.join('\n')}\n`;
}

/** @param {string} text */
function escapeCell(text) {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
