import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The version of the installed @ferry/cli package (read from its package.json). */
export const CLI_VERSION: string = (require('../package.json') as { version: string }).version;
