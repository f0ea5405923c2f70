import { defineConfig } from 'vitest/config';

// End-to-end tests against real dev clusters. The global setup starts two (the independence
// test needs a second one), so every e2e file shares them; files run one at a time because
// they share the machine's two cores with the clusters.
export default defineConfig({
  test: {
    include: ['src/**/*.e2e.test.ts'],
    globalSetup: ['./src/vitest/e2e-global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 600_000,
    teardownTimeout: 120_000,
  },
});
