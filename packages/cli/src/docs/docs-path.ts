import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `<repo>/docs/cli.md`, found from this file in src/ or dist/. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'packages', 'cli', 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (packages/cli) from the CLI\'s files');
    dir = parent;
  }
  return dir;
}

export const CLI_DOCS_PATH = join(repoRoot(), 'docs', 'cli.md');
