import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    'vitest/index': 'src/vitest/index.ts',
    'vitest/global-setup': 'src/vitest/global-setup.ts',
    // The simulated node's child process runs as plain JavaScript from dist.
    'node/agent': 'src/node/agent.ts',
  },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  external: ['vitest'],
});
