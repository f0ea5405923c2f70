import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'bin.js');

export interface FerryRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface FerryOptions {
  cwd: string;
  env?: Record<string, string>;
}

/** The environment a run sees: this process's without any FERRY_* or ARMORY_* variable, plus `env`. */
function cleanEnv(env: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('FERRY_') && !key.startsWith('ARMORY_')));
  return { ...base, NO_COLOR: '1', ...env };
}

/** Runs the built `ferry` binary as a user would, in `cwd`, with a clean FERRY_* environment. */
export function runFerry(args: string[], options: FerryOptions): Promise<FerryRun> {
  return spawnFerry(args, options).exited;
}

export interface RunningFerry {
  child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<FerryRun>;
}

/** Starts `ferry` in the background (a second shell): read its output while it runs. */
export function spawnFerry(args: string[], options: FerryOptions): RunningFerry {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: cleanEnv(options.env) });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<FerryRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/**
 * Runs `ferry` under a pseudo-terminal with util-linux `script`, so stdout is a TTY (colour,
 * spinners, redraws). Output is the terminal's byte stream; the exit code is ferry's.
 */
export function spawnFerryInPty(args: string[], options: FerryOptions): RunningFerry {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
  const env = cleanEnv(options.env);
  delete env.NO_COLOR;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: options.cwd, env: { ...env, TERM: 'xterm-256color', COLUMNS: '160', LINES: '50' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<FerryRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs` naming `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A temporary directory with the given files; `cleanup()` removes it. */
export function workspace(files: Record<string, string>): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const ESC = String.fromCharCode(27);
/** ANSI colour and cursor sequences, matched without a control character in a regex literal. */
export const ANSI = new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, 'g');
/** A redraw: cursor up N lines to the frame's start, then clear to the end of the screen. */
export const REDRAW = new RegExp(`${ESC}\\[\\d+F${ESC}\\[0J`);
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
