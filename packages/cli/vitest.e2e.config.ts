import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.e2e.test.ts'],
    // One dev cluster (a real kube-apiserver with a simulated node) for local and hub mode.
    globalSetup: ['src/test-support/e2e-global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 300_000,
    // The tests spawn many ferry processes; one file at a time keeps a 2-core machine responsive.
    fileParallelism: false,
  },
});
