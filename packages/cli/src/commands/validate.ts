import { resolve } from 'node:path';
import type { Command } from 'commander';
import { validateDeployFile, type Diagnostic } from '@ferry/core';
import { ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { outputOption } from '../options.js';
import { formatData, type OutputFormat } from '../render/output-format.js';
import { renderDiagnostics } from '../render/diagnostics.js';

/**
 * `ferry validate -f FILE`: every problem with file:line:col, then the plan. Exit 1 when the
 * file has errors (warnings alone still exit 0).
 */
export function registerValidateCommand(program: Command, io: CliIO, setExit: (code: ExitCode) => void): void {
  program
    .command('validate')
    .description('check a deployment file and print its plan')
    .requiredOption('-f, --file <path>', 'the deployment file (deploy.yml)')
    .addOption(outputOption())
    .action(async (options: { file: string; output: OutputFormat }) => {
      const path = resolve(io.cwd, options.file);
      const { file, diagnostics } = await validateDeployFile(path);
      const errors = diagnostics.filter((d) => d.severity === 'error');
      // The plugins load only when there is a file to plan.
      const planned = file && errors.length === 0 ? (await import('../plan.js')).planFor(file) : undefined;
      const planProblems: Diagnostic[] = planned && 'error' in planned ? planned.error : [];
      const allDiagnostics = [...diagnostics, ...planProblems];
      const valid = errors.length === 0 && planProblems.every((d) => d.severity !== 'error');

      if (options.output === 'text') {
        io.stdout(renderDiagnostics(allDiagnostics, { color: io.isTTY, cwd: io.cwd }));
        if (planned && 'text' in planned) io.stdout(`\n${planned.text.trimEnd()}\n`);
      } else {
        io.stdout(
          formatData(options.output, {
            valid,
            errors: allDiagnostics.filter((d) => d.severity === 'error'),
            warnings: allDiagnostics.filter((d) => d.severity === 'warning'),
            plan: planned && 'plan' in planned ? planned.plan : null,
          }),
        );
      }
      setExit(valid ? ExitCode.Success : ExitCode.Error);
    });
}
