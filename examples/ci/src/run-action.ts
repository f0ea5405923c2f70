import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The action's entry point, as action.yml names it. */
export const ACTION_MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'actions', 'deploy', 'src', 'main.mjs');

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** What the action wrote to $GITHUB_OUTPUT, parsed. */
  outputs: Record<string, string>;
  /** What it wrote to $GITHUB_STEP_SUMMARY. */
  summary: string;
}

/** A workspace directory holding the given files (path → content). */
export async function makeWorkspace(files: Record<string, string>): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-ci-workspace-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Runs the action the way a runner does: `node main.mjs` with `INPUT_*` env vars (name
 * upper-cased, hyphens kept), `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files and the
 * workspace as `GITHUB_WORKSPACE`.
 */
export async function runAction(workspace: string, inputs: Record<string, string>, timeoutMs = 200_000): Promise<ActionRun> {
  const files = await mkdtemp(join(tmpdir(), 'ferry-ci-runner-'));
  const outputFile = join(files, 'output');
  const summaryFile = join(files, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ACTIONS: 'true',
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  try {
    const child = spawn(process.execPath, [ACTION_MAIN], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    clearTimeout(timer);
    return { exitCode, stdout, stderr, outputs: parseOutputs(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8') };
  } finally {
    await rm(files, { recursive: true, force: true });
  }
}

/** `NAME=value` lines and `NAME<<DELIM ... DELIM` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2] as string, i + 1);
      outputs[heredoc[1] as string] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}
