#!/usr/bin/env node
import pino from 'pino';
import { startAgent } from './agent.js';
import { agentOptionsFromEnv } from './env-options.js';

/** `ferry-agent`: configured by environment (see env-options.ts); JSON logs on stdout. */
const logger = pino({ name: 'ferry-agent', level: process.env.FERRY_LOG_LEVEL ?? 'info' });

try {
  const agent = await startAgent({ ...agentOptionsFromEnv(), logger });
  logger.info({ instance: agent.instanceId, healthPort: agent.healthPort }, 'agent started');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    agent.drain().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: (error as Error).message }, 'drain failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  logger.error({ err: (error as Error).message }, 'the agent could not start');
  process.exit(1);
}
