#!/usr/bin/env node
import { processIO } from './io.js';
import { runCli } from './program.js';

// SIGINT/SIGTERM end long-running verbs cleanly (the local engine releases its leases); a
// second signal exits at once.
const controller = new AbortController();
let signals = 0;
for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.on(name, () => {
    if (++signals > 1) process.exit(130);
    controller.abort();
  });
}

process.exitCode = await runCli(process.argv.slice(2), processIO(), controller.signal);
// Lingering sockets or timers of libraries must not keep a finished command alive.
setTimeout(() => process.exit(), 200).unref();
