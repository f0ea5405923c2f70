import { spawn } from 'node:child_process';
import { kubectlPath } from './binaries.js';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs the kubectl built alongside the cluster (same version as its API server) against a
 * kubeconfig. Rejects on a non-zero exit unless `allowFailure` is set.
 */
export function kubectl(
  kubeconfigPath: string,
  args: string[],
  options: { input?: string; allowFailure?: boolean; timeoutMs?: number } = {},
): Promise<KubectlResult> {
  const binary = kubectlPath();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [`--kubeconfig=${kubeconfigPath}`, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => reject(new Error(`could not run ${binary}: ${error.message}`, { cause: error })));
    child.on('close', (code, signal) => {
      const exitCode = code ?? 128;
      if (exitCode !== 0 && !options.allowFailure) {
        reject(new Error(`kubectl ${args.join(' ')} failed (${signal ?? `exit ${exitCode}`}): ${stderr.trim() || stdout.trim()}`));
        return;
      }
      resolve({ stdout, stderr, exitCode });
    });
    child.stdin.end(options.input ?? '');
  });
}
