import { defineConfig } from 'vitest/config';

// Unit tests: no cluster needed (they may call openssl and spawn plain processes).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    exclude: ['**/*.e2e.test.ts', 'node_modules/**', 'dist/**'],
  },
});
