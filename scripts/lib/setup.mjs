// Setup steps shared by the README's two commands (`npm run demo`, `npm test`): both must
// work on a fresh clone, so both install what they need.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs a command in the repository root, printing a heading and its duration. */
export function run(title, command, args, options = {}) {
  console.log(`\n▶ ${title}: ${[command, ...args].join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${title} failed after ${seconds}s (exit ${result.status ?? result.signal})`);
    return false;
  }
  console.log(`✔ ${title} (${seconds}s)`);
  return true;
}

/** npm dependencies, when node_modules is missing or older than the lockfile. */
export function installDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const stale = !existsSync(marker) || statSync(join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs;
  return stale ? run('install npm dependencies', 'npm', ['ci', '--no-audit', '--no-fund']) : true;
}

/** Debian packages and the Kubernetes binaries the dev cluster runs (built once, then cached). */
export function installDevClusterPrerequisites() {
  return run('dev-cluster prerequisites', 'bash', [join(root, 'packages/devcluster/scripts/install-prerequisites.sh')]);
}
