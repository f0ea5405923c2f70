import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FerryInputError } from '@ferry/core';
import type { CommandContext } from '../command-context.js';
import { requireHub, type ConnectionFlags } from '../connect.js';
import { ExitCode } from '../exit-codes.js';
import { envOption, hubOptions, outputOption } from '../options.js';
import { formatData, type OutputFormat } from '../render/output-format.js';
import { stringify } from 'yaml';

interface RolesDocument {
  roles: Array<{ name: string; tenant: string; grants: Array<{ type: string; resource: string; permission: string }> }>;
}

/** `ferry config apply -f roles.yaml` / `ferry config get`: the hub's roles, in the reference CLI's format. */
export function registerConfigCommand(program: Command, ctx: CommandContext): void {
  const config = program.command('config').description("the hub's configuration as code (roles and their grants)");
  const apply = config
    .command('apply')
    .description('replace the roles of every tenant the file names (YAML or JSON)')
    .addOption(envOption('-f, --file <path>', 'the configuration file (roles.yaml)', 'FERRY_FILE').makeOptionMandatory());
  for (const option of hubOptions()) apply.addOption(option);
  apply.addOption(outputOption()).action(async (options: ConnectionFlags & { file: string; output: OutputFormat }) => {
    const client = requireHub(options, ctx.io, 'config apply');
    let text: string;
    try {
      text = await readFile(resolve(ctx.io.cwd, options.file), 'utf8');
    } catch (error) {
      throw new FerryInputError(`cannot read ${options.file}: ${(error as Error).message}`, { code: 'file_not_found' });
    }
    const applied = await client.json<RolesDocument>('PUT', 'api/v1/roles', text, /^\s*[{[]/.test(text) ? 'application/json' : 'application/yaml');
    if (options.output === 'text') ctx.io.stdout(`applied ${applied.roles.length} role${applied.roles.length === 1 ? '' : 's'}\n${renderRoles(applied)}`);
    else ctx.io.stdout(formatData(options.output, applied));
    ctx.setExit(ExitCode.Success);
  });

  const get = config.command('get').description('print the roles you may manage, in the format config apply takes');
  for (const option of hubOptions()) get.addOption(option);
  get.addOption(envOption('-o, --output <format>', 'output format (default yaml: ready for config apply)', 'FERRY_OUTPUT').choices(['text', 'json', 'yaml']).default('yaml'));
  get.action(async (options: ConnectionFlags & { output: OutputFormat }) => {
    const document = await requireHub(options, ctx.io, 'config get').json<RolesDocument>('GET', 'api/v1/config');
    ctx.io.stdout(options.output === 'text' ? renderRoles(document) : options.output === 'json' ? formatData('json', document) : stringify(document));
    ctx.setExit(ExitCode.Success);
  });
}

function renderRoles(document: RolesDocument): string {
  return document.roles.map((role) => `${role.tenant}/${role.name}: ${role.grants.map((g) => `${g.type}:${g.resource}:${g.permission}`).join(', ') || 'no grants'}\n`).join('');
}
