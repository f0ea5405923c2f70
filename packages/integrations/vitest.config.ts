import { defineConfig } from 'vitest/config';

// Tests against the real Datadog / New Relic APIs exist only when their keys are set
// (see src/metrics/README.md); without them the files are not collected at all.
const liveTests = [
  ...(process.env.FERRY_DD_API_KEY && process.env.FERRY_DD_APP_KEY ? ['src/metrics/datadog/datadog.live-test.ts'] : []),
  ...(process.env.FERRY_NEW_RELIC_API_KEY && process.env.FERRY_NEW_RELIC_ACCOUNT_ID ? ['src/metrics/new-relic/new-relic.live-test.ts'] : []),
];

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', ...liveTests],
    exclude: ['**/*.e2e.test.ts', 'node_modules/**', 'dist/**'],
  },
});
