import { defineConfig } from 'tsup';

export default defineConfig({
  // config-schema: the raw zod schema, for scripts/gen-deploy-reference.mjs (not a package export).
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'config-schema': 'src/config/schema/deploy-file.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
