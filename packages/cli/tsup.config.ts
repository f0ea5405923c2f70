import { defineConfig } from 'tsup';

export default defineConfig({
  // write-cli-docs: `npm run docs:cli` regenerates docs/cli.md from the command definitions.
  entry: { index: 'src/index.ts', bin: 'src/bin.ts', 'write-cli-docs': 'src/scripts/write-cli-docs.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
