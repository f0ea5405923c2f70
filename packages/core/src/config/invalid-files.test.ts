import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FerryInputError, type Diagnostic } from '../errors/index.js';
import { loadDeployFile, validateDeployFile } from './index.js';

/**
 * Every file in test/fixtures/invalid ends with the problems it must produce, one comment a
 * line: `# expect: LINE:COL PATH: MESSAGE` for errors, `# warn: ...` for warnings. The lists
 * must match exactly, so a new spurious diagnostic fails the case too.
 */
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/invalid');
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.yml'))
  .sort();

function expectations(text: string, tag: 'expect' | 'warn'): string[] {
  const prefix = `# ${tag}: `;
  return text
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

function located(d: Diagnostic): string {
  return `${d.line}:${d.column} ${d.path ? `${d.path}: ` : ''}${d.message}`;
}

describe('invalid deployment files', () => {
  it('has at least 60 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
  });

  for (const name of files) {
    it(name, async () => {
      const file = path.join(dir, name);
      const text = readFileSync(file, 'utf8');
      const expectedErrors = expectations(text, 'expect');
      expect(expectedErrors.length).toBeGreaterThan(0);

      const result = await validateDeployFile(file);
      expect(result.file).toBeUndefined();
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
      expect(errors.map(located)).toEqual(expectedErrors);
      expect(warnings.map(located)).toEqual(expectations(text, 'warn'));
      for (const d of result.diagnostics) expect(d.file).toBe(file);
    });
  }
});

describe('loadDeployFile on an invalid file', () => {
  it('throws one FerryInputError listing every error as file:line:col path: message', async () => {
    const file = path.join(dir, 'depends-on-unknown.yml');
    const error = await loadDeployFile(file).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(FerryInputError);
    const input = error as FerryInputError;
    expect(input.code).toBe('invalid_deploy_file');
    expect(input.diagnostics).toHaveLength(1);
    expect(input.diagnostics[0]).toMatchObject({ severity: 'error', code: 'dangling_reference', line: 10, column: 19 });
    expect(input.message).toContain(
      `${file}:10:19 targets.prod.constraints.dependsOn[0]: unknown target "stagin" (did you mean "staging"?)`,
    );
  });

  it('reports a missing deployment file without throwing from validate', async () => {
    const missing = path.join(dir, 'no-such-file.yml');
    const result = await validateDeployFile(missing);
    expect(result.diagnostics).toEqual([
      { severity: 'error', code: 'file_not_found', path: '', message: `deployment file "${missing}" does not exist`, file: missing },
    ]);
    await expect(loadDeployFile(missing)).rejects.toBeInstanceOf(FerryInputError);
  });
});
