import { defineConfig } from 'tsup';

// Only the tiny node entry (where the built files are); `vite build` makes dist/web.
export default defineConfig({
  entry: { index: 'src/node/index.ts' },
  outDir: 'dist/node',
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
