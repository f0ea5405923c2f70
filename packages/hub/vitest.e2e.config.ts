import { defineConfig } from 'vitest/config';

// Real processes, real PostgreSQL and a dev cluster (kube-apiserver + simulated node) started once per run.
export default defineConfig({
  test: {
    include: ['src/**/*.e2e.test.ts'],
    globalSetup: ['@ferry/devcluster/vitest/global-setup'],
    // 2 shared cores: one file at a time, generous timeouts.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
