import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.e2e.test.ts'],
    globalSetup: ['src/e2e/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 300_000,
  },
});
