import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleAssetsDir } from './index.js';

describe('consoleAssetsDir', () => {
  it('names dist/web of this package, where vite build writes the console', () => {
    const dir = consoleAssetsDir();
    expect(basename(dir)).toBe('web');
    // From the source the entry sits in src/node, so the directory is src/web (the sources, with index.html).
    expect(existsSync(join(dir, 'index.html'))).toBe(true);
  });
});
