import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCliReference } from './cli-reference.js';
import { CLI_DOCS_PATH } from './docs-path.js';

describe('docs/cli.md', () => {
  it('matches the command definitions (run npm run docs:cli -w @ferry/cli when this fails)', () => {
    expect(readFileSync(CLI_DOCS_PATH, 'utf8')).toBe(renderCliReference());
  });

  it('documents every verb with its environment variables', () => {
    const text = renderCliReference();
    for (const verb of ['login', 'logout', 'deploy start', 'deploy status', 'deploy list', 'deploy approve', 'deploy reject', 'deploy skip', 'deploy rollback', 'deploy rollforward', 'deploy cancel', 'deploy redeploy', 'validate', 'template kubernetes', 'config apply', 'config get', 'agents list', 'agent create', 'hub', 'agent', 'version', 'completion']) {
      expect(text).toContain(`## \`ferry ${verb}`);
    }
    expect(text).toContain('`FERRY_HUB_URL`');
    expect(text).toContain('`FERRY_DEPLOYMENT_ID`');
  });
});
