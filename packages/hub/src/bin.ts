#!/usr/bin/env node
/** `ferry-hub`: flags and environment → startHub; graceful stop on SIGTERM/SIGINT. */
import { isFerryError } from '@ferry/core';
import { startHub } from './hub.js';
import { HUB_USAGE, hubOptionsFromArgs } from './server/cli-options.js';

async function main(): Promise<number> {
  const options = hubOptionsFromArgs(process.argv.slice(2), process.env);
  if (!options) {
    process.stdout.write(HUB_USAGE);
    return 0;
  }
  const hub = await startHub(options);
  process.stderr.write(`ferry hub listening at ${hub.url}\n`);
  if (hub.caFile) process.stderr.write(`clients trust its CA: ${hub.caFile}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`${signal}: draining and stopping\n`);
    hub.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`ferry-hub: shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return new Promise<number>(() => undefined);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ferry-hub: ${message}\n`);
  if (!isFerryError(error) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(isFerryError(error) && error.code.startsWith('invalid') ? 2 : 1);
});
