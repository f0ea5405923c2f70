import { defineConfig } from 'vitest/config';

// A real hub in this process, Debian's chromium driven by playwright-core, and a dev cluster
// (kube-apiserver + simulated node) started once per run for the canary and agent scenarios;
// test-artifacts/screenshots/ is emptied at the start of each run.
export default defineConfig({
  test: {
    include: ['src/**/*.e2e.test.ts'],
    globalSetup: ['@ferry/devcluster/vitest/global-setup', './src/e2e/screenshots-setup.ts'],
    // 2 shared cores: one browser and one hub at a time.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
