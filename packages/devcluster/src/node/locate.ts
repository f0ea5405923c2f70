import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The @ferry/devcluster package root, found from this module whether it runs from src or dist. */
export function devclusterRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@ferry/devcluster') return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the @ferry/devcluster package root');
}

/** The compiled node agent (the child process has to be plain JavaScript, so it runs from dist). */
export function nodeAgentScript(): string {
  const script = join(devclusterRoot(), 'dist', 'node', 'agent.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build -w @ferry/devcluster\` first`);
  return script;
}

/** examples/sample-app/dist/server.js, which every `ferry/sample-app:*` pod runs. */
export function sampleAppServerScript(): string {
  const manifest = createRequire(import.meta.url).resolve('@ferry/sample-app/package.json');
  const script = join(dirname(manifest), 'dist', 'server.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build -w @ferry/sample-app\` first`);
  return script;
}
