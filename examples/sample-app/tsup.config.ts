import { defineConfig } from 'tsup';

// server.js is what the simulated node runs for every `ferry/sample-app:*` pod; index.js is the
// library side (image profiles, app factory) that other packages and tests import.
export default defineConfig({
  entry: { index: 'src/index.ts', server: 'src/server.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
