#!/usr/bin/env node
// `ferry-devcluster`: start, stop and inspect named dev clusters from a shell.
import { parseCliArgs, USAGE } from './cli/args.js';
import { runCommand } from './cli/commands.js';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return argv.length === 0 ? 1 : 0;
  }
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`ferry-devcluster: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const result = await runCommand(
    args,
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  );
  return result.exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ferry-devcluster: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
