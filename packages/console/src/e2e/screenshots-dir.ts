import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `packages/console/test-artifacts/screenshots/` (gitignored; CI keeps it). */
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts', 'screenshots');
