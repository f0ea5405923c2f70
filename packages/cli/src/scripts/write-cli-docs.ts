#!/usr/bin/env node
/** Writes docs/cli.md at the repository root from the command definitions. */
import { writeFileSync } from 'node:fs';
import { renderCliReference } from '../docs/cli-reference.js';
import { CLI_DOCS_PATH } from '../docs/docs-path.js';

writeFileSync(CLI_DOCS_PATH, renderCliReference());
process.stdout.write(`wrote ${CLI_DOCS_PATH}\n`);
