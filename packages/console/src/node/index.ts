/**
 * @ferry/console's node entry: where the built web files are, so the hub can serve them
 * at `/console/`. The console itself is static files (dist/web) made by `vite build`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding the built console (`index.html` and `assets/`). */
export function consoleAssetsDir(): string {
  // dist/node/index.js → dist/web
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'web');
}

/** Whether the console was built (`npm run build` in packages/console). */
export function consoleIsBuilt(): boolean {
  return existsSync(join(consoleAssetsDir(), 'index.html'));
}

/** Where the console is mounted on the hub and where its login returns. */
export const CONSOLE_BASE_PATH = '/console/';
export const CONSOLE_CALLBACK_PATH = '/console/callback';
