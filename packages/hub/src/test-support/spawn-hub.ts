import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hubFetch, type TestHub } from './start-test-hub.js';

/** The built binary (`npx tsup` in packages/hub first). */
export const HUB_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'bin.js');

export interface SpawnedHub {
  readonly url: string;
  readonly child: ChildProcess;
  readonly dataDir: string;
  /** fetch trusting the hub's CA. */
  fetch: TestHub['fetch'];
  /** Everything the process wrote (JSON logs on stdout, human lines on stderr). */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  /** `kill -9`: no shutdown, leases stay until they expire (or the same replica restarts). */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the graceful exit. */
  stop(): Promise<number | string>;
}

/**
 * Runs `dist/bin.js` as a child process with the given flags (add `--data-dir`; the port
 * defaults to 0) and resolves when `/health/readiness` answers 200.
 */
export async function spawnHub(options: { dataDir: string; args?: string[]; env?: NodeJS.ProcessEnv; readyTimeoutMs?: number }): Promise<SpawnedHub> {
  const args = [HUB_BIN, '--data-dir', options.dataDir, '--port', '0', '--agent-hub-port', '0', '--host', '127.0.0.1', ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let url: string | undefined;
  while (!url) {
    const match = /ferry hub listening at (\S+)/.exec(output);
    if (match) url = match[1];
    else if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the hub exited before listening:\n${output}`);
    else if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the hub did not start in time:\n${output}`);
    } else await sleep(100);
  }
  const ca = url.startsWith('https:') ? await readFile(join(options.dataDir, 'tls', 'ca.pem'), 'utf8').catch(() => undefined) : undefined;
  const client = hubFetch(url, ca);
  for (;;) {
    const status = await client.fetch('/health/readiness').then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the hub exited before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the hub did not become ready in time:\n${output}`);
    }
    await sleep(100);
  }
  return {
    url,
    child,
    dataDir: options.dataDir,
    fetch: client.fetch,
    output: () => output,
    exited,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
      await client.close();
    },
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      await client.close();
      return code;
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
