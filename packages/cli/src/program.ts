import { Command, CommanderError } from 'commander';
import { isFerryError, FerryConflictError } from '@ferry/core';
import type { CommandContext } from './command-context.js';
import { registerAgentCommands } from './commands/agent.js';
import { registerCompletionCommand } from './commands/completion.js';
import { registerConfigCommand } from './commands/config.js';
import { registerDeployCommand } from './commands/deploy.js';
import { normalizeArgv } from './commands/deploy-ids.js';
import { registerHubCommand } from './commands/hub.js';
import { registerLoginCommands } from './commands/login.js';
import { registerTemplateCommand } from './commands/template.js';
import { registerValidateCommand } from './commands/validate.js';
import { ExitCode } from './exit-codes.js';
import type { CliIO } from './io.js';
import { outputOption } from './options.js';
import { formatData, type OutputFormat } from './render/output-format.js';
import { CLI_VERSION } from './version.js';

export { outputOption } from './options.js';

/** The result a command action reports; commander's own errors become `Usage`. */
export interface CommandResult {
  exitCode: ExitCode;
}

/** The whole command tree; `docs/cli.md` and the completion scripts are generated from it. */
export function createProgram(io: CliIO, setExit: (code: ExitCode) => void, signal: AbortSignal = new AbortController().signal): Command {
  const program = new Command('ferry')
    .description('Ferry: continuous deployment to Kubernetes with canary and blue/green strategies.\nWithout a hub (--hub, FERRY_HUB_URL or ferry login) deployments run in this process: local mode.')
    .version(CLI_VERSION, '-V, --version', 'print the CLI version')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nExit codes: 0 success, 1 error or failed deployment, 2 usage, 3 conflict (a deployment is in progress).');
  const ctx: CommandContext = { io, setExit, signal };

  registerLoginCommands(program, ctx);
  registerDeployCommand(program, ctx);
  registerValidateCommand(program, io, setExit);
  registerTemplateCommand(program, ctx);
  registerConfigCommand(program, ctx);
  registerAgentCommands(program, ctx);
  registerHubCommand(program, ctx);
  registerCompletionCommand(program, ctx);

  program
    .command('version')
    .description('print the CLI version')
    .addOption(outputOption())
    .action((options: { output: OutputFormat }) => {
      if (options.output === 'text') io.stdout(`ferry ${CLI_VERSION}\n`);
      else io.stdout(formatData(options.output, { version: CLI_VERSION }));
    });

  // Every command inherits the exit override and output routing.
  const configure = (command: Command) => {
    for (const child of command.commands) {
      child.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showHelpAfterError('(run with --help for usage)');
      configure(child);
    }
  };
  configure(program);
  return program;
}

/** Runs the CLI and returns its exit code (never throws). */
export async function runCli(argv: string[], io: CliIO, signal?: AbortSignal): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Success;
  const program = createProgram(io, (code) => {
    exitCode = code;
  }, signal);
  try {
    await program.parseAsync(normalizeArgv(argv), { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? ExitCode.Success : ExitCode.Usage;
    }
    if (error instanceof FerryConflictError) {
      io.stderr(`error: ${error.message}\n`);
      return ExitCode.Conflict;
    }
    io.stderr(`error: ${isFerryError(error) ? error.message : ((error as Error)?.message ?? String(error))}\n`);
    return ExitCode.Error;
  }
}
