import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SCRIPT = join(PACKAGE_DIR, 'src', 'delivery', 'engine-process.ts');

export interface ChildLine {
  event?: string;
  stepId?: string;
  kind?: string;
  deployment?: string;
  done?: string;
}

export interface ChildRun {
  /** How the process ended: 'killed' (our SIGKILL), or its exit code. */
  ended: Promise<'killed' | number>;
  lines: ChildLine[];
  stderr: () => string;
  kill(): void;
}

/**
 * Runs engine-process.ts in a child Node process. `onLine` sees every JSON line it prints and may
 * return true to SIGKILL it right there.
 */
export function runEngineProcess(args: Record<string, string>, onLine: (line: ChildLine) => boolean = () => false): ChildRun {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(args)], { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: ChildLine[] = [];
  let errors = '';
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    child.kill('SIGKILL');
  };
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    if (killed) return;
    let line: ChildLine;
    try {
      line = JSON.parse(text) as ChildLine;
    } catch {
      return;
    }
    lines.push(line);
    if (onLine(line)) kill();
  });
  const ended = new Promise<'killed' | number>((resolve) => child.on('exit', (code) => resolve(killed ? 'killed' : (code ?? -1))));
  return { ended, lines, stderr: () => errors, kill };
}
