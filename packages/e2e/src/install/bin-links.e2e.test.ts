import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README and docs/getting-started.md tell people to run `ferry`, `ferry-devcluster`… from
// node_modules/.bin after `npm ci` and a build. npm links a bin only if its file exists at
// install time, before dist/ is built: so every bin must point at a committed file.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

function workspaceBins(): Array<{ workspace: string; name: string; target: string }> {
  return ['packages', 'examples'].flatMap((group) =>
    readdirSync(join(ROOT, group))
      .map((name) => join(ROOT, group, name))
      .filter((dir) => existsSync(join(dir, 'package.json')))
      .flatMap((dir) => {
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
        return Object.entries(manifest.bin ?? {}).map(([name, target]) => ({ workspace: dir, name, target: join(dir, target) }));
      }),
  );
}

describe('workspace bins', () => {
  const bins = workspaceBins();

  it('finds the bins of the CLI, the agent, the hub, the dev cluster and the demo', () => {
    expect(bins.map((bin) => bin.name).sort()).toEqual(['ferry', 'ferry-agent', 'ferry-demo', 'ferry-devcluster', 'ferry-hub']);
  });

  it.each(bins)('$name points at a committed file, not at dist/', ({ workspace, target }) => {
    expect(existsSync(target)).toBe(true);
    expect(target.startsWith(join(workspace, 'dist'))).toBe(false);
    const tracked = execFileSync('git', ['ls-files', '--error-unmatch', target], { cwd: ROOT, encoding: 'utf8' }).trim();
    expect(tracked).not.toBe('');
  });

  it.each(bins)('$name is linked in node_modules/.bin', ({ name, target }) => {
    const link = join(ROOT, 'node_modules', '.bin', name);
    expect(existsSync(link)).toBe(true);
    expect(realpathSync(link)).toBe(realpathSync(target));
  });

  it('runs `ferry version` through the link', () => {
    const output = execFileSync(join(ROOT, 'node_modules', '.bin', 'ferry'), ['version'], { encoding: 'utf8' });
    expect(output).toMatch(/\d+\.\d+\.\d+/);
  });

  it('prints `ferry-devcluster --help` through the link', () => {
    const output = execFileSync(join(ROOT, 'node_modules', '.bin', 'ferry-devcluster'), ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toMatch(/ferry-devcluster/);
  });
});
