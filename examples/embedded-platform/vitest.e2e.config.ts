import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.e2e.test.ts'],
    globalSetup: ['@ferry/devcluster/vitest/global-setup'],
    testTimeout: 240_000,
    hookTimeout: 300_000,
  },
});
