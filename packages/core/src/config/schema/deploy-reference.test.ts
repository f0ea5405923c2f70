import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { REFERENCE_FILE, renderDeployReference } from '../../../scripts/gen-deploy-reference.mjs';
import { deployFileSchema } from './deploy-file.js';

/** docs/deploy-file.md is generated from this schema; this fails when the two drift apart. */
describe('the deployment-file reference (docs/deploy-file.md)', () => {
  it('describes every key of the schema', () => {
    expect(renderDeployReference(deployFileSchema).missing).toEqual([]);
  });

  it('is what the generator writes from the current schema (run `npm run docs:deploy-file -w @ferry/core` after a build)', async () => {
    const committed = await readFile(REFERENCE_FILE, 'utf8');
    expect(committed).toBe(renderDeployReference(deployFileSchema).markdown);
  });

  it('lists keys with their types, required flags and allowed values', () => {
    const { markdown } = renderDeployReference(deployFileSchema);
    expect(markdown).toContain('| `application` | string | yes |');
    expect(markdown).toContain('| `targets.<name>.account` | string | yes |');
    expect(markdown).toContain('| `deploymentConfig.ifDeploymentInProgress.strategy` | `reject` \\| `enqueueOne` |  |');
    expect(markdown).toContain('| `setWeight` | number (0–100) or object |  |');
    expect(markdown).toContain('| `targets.<name>.constraints.beforeDeployment` | list of [steps](#steps) |  |');
  });
});
