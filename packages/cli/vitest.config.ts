import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'src/**/*.e2e.test.ts'],
    // These tests spawn the built `ferry` binary; turbo builds the package before `test`.
    testTimeout: 120_000,
  },
});
