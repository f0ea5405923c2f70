/**
 * Entry point of the simulated node's child process: `node agent.js <config.json>`.
 * Logs JSON lines to stdout (the node's log file) and writes `agent-ready` once registered.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeAgent, type NodeAgentConfig } from './node-agent.js';
import { nodeStateDir } from './state-files.js';

const configPath = process.argv[2];
if (!configPath) {
  console.error('usage: agent.js <config.json>');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configPath, 'utf8')) as NodeAgentConfig;
const log = (msg: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), msg, ...fields }));

const agent = new NodeAgent(config, log);
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping node', { signal });
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  await agent.stop().catch((error: unknown) => log('stop failed', { error: String(error) }));
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

agent
  .start()
  .then(() => writeFileSync(join(nodeStateDir(config.stateDir), 'agent-ready'), `${process.pid}\n`))
  .catch((error: unknown) => {
    log('node failed to start', { error: String(error) });
    process.exit(1);
  });
