import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'kubernetes/index': 'src/kubernetes/index.ts', 'metrics/index': 'src/metrics/index.ts', 'traffic/index': 'src/traffic/index.ts', 'webhooks/index': 'src/webhooks/index.ts', 'notifications/index': 'src/notifications/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
