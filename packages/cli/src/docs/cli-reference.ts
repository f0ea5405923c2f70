import type { Command, Option } from 'commander';
import { processIO, type CliIO } from '../io.js';
import { createProgram } from '../program.js';
import { JSON_SHAPES } from './json-shapes.js';

/** `docs/cli.md`, generated from the command definitions (`npm run docs:cli -w @ferry/cli`). */
export function renderCliReference(program: Command = createProgram(quietIO(), () => undefined)): string {
  const sections: string[] = [
    '# `ferry` command reference',
    '',
    '<!-- Generated from the command definitions by `npm run docs:cli -w @ferry/cli`; do not edit by hand. -->',
    '',
    program.description(),
    '',
    '**Modes.** With a hub configured (`--hub`, `FERRY_HUB_URL`, or the hub `ferry login` saved) every verb calls its REST API. ' +
      'Without one, deployments run in the CLI process (local mode): the engine reaches clusters through kube contexts ' +
      '(a target\'s `account` is a context name) and keeps state in a SQLite file (`~/.ferry/local.db`, `FERRY_STATE_FILE`), ' +
      'so `deploy status`, `approve` and `rollback` work from another shell while `deploy start` runs the deployment in the foreground.',
    '',
    '**Authentication.** `FERRY_CLIENT_ID`/`FERRY_CLIENT_SECRET` (or `ARMORY_CLIENT_ID`/`ARMORY_CLIENT_SECRET`) use the client-credentials grant; ' +
      'otherwise the tokens `ferry login` saved in `~/.ferry/credentials.json` (mode 0600, `FERRY_CREDENTIALS_FILE`) are used and refreshed. ' +
      "`FERRY_CA_FILE`/`--ca-file` trusts the hub's local CA (`<dataDir>/tls/ca.pem`).",
    '',
    '**Environment.** Every flag can also be set by the environment variable shown next to it.',
    '',
    '**Exit codes.** `0` success · `1` error, or the deployment failed · `2` usage (unknown flag, missing argument) · `3` conflict (the application has a deployment in progress).',
    '',
  ];
  const walk = (command: Command, path: string[]) => {
    for (const child of command.commands) {
      const childPath = [...path, child.name()];
      sections.push(...commandSection(child, childPath));
      walk(child, childPath);
    }
  };
  walk(program, ['ferry']);
  sections.push(JSON_SHAPES);
  return `${sections.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function commandSection(command: Command, path: string[]): string[] {
  const args = command.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`));
  const lines = [`## \`${[...path, ...args].join(' ')}\``, '', command.description(), ''];
  const options = command.options.filter((o) => !o.hidden);
  if (command.registeredArguments.length > 0) {
    for (const a of command.registeredArguments) lines.push(`- \`${a.name()}\`: ${a.description}${a.argChoices ? ` (one of ${a.argChoices.map((c) => `\`${c}\``).join(', ')})` : ''}`);
    lines.push('');
  }
  if (options.length > 0) {
    lines.push('| flag | environment | description |', '|---|---|---|');
    for (const option of options) lines.push(`| \`${option.flags}\` | ${option.envVar ? `\`${option.envVar}\`` : ''} | ${describe(option)} |`);
    lines.push('');
  }
  return lines;
}

function describe(option: Option): string {
  const extras = [
    option.mandatory ? 'required' : '',
    option.argChoices ? `one of ${option.argChoices.map((c) => `\`${c}\``).join(', ')}` : '',
    option.defaultValue !== undefined ? `default \`${String(option.defaultValue)}\`` : '',
  ].filter(Boolean);
  return `${option.description.replace(/\|/g, '\\|')}${extras.length > 0 ? ` (${extras.join('; ')})` : ''}`;
}

function quietIO(): CliIO {
  return { ...processIO(), stdout: () => undefined, stderr: () => undefined, isTTY: false };
}
