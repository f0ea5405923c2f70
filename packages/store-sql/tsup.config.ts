import { defineConfig } from 'tsup';

export default defineConfig({
  // `conformance` is the StoreV1 conformance suite (vitest), exported so other stores can run it.
  entry: { index: 'src/index.ts', 'store-conformance': 'src/store-conformance.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  external: ['vitest'],
});
