import { defineConfig } from 'vitest/config';

// 2 shared cores: one file at a time, generous timeouts. Two projects, so one run (and one
// JSON report for `npm test`) covers both:
// - delivery: real-cluster acceptance tests on a dev cluster started once per run;
// - demo: the README's demo, which brings up its own dev cluster `demo` (no global setup);
// - install: what a fresh clone's `npm ci` and build leave behind (the workspace bins).
export default defineConfig({
  test: {
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    projects: [
      {
        extends: true,
        test: { name: 'delivery', include: ['src/delivery/**/*.e2e.test.ts'], globalSetup: ['@ferry/devcluster/vitest/global-setup'] },
      },
      {
        extends: true,
        // A cold start of the demo's cluster plus three rounds takes minutes on a loaded machine.
        test: { name: 'demo', include: ['src/demo/**/*.e2e.test.ts'], hookTimeout: 900_000 },
      },
      {
        extends: true,
        test: { name: 'install', include: ['src/install/**/*.e2e.test.ts'] },
      },
    ],
  },
});
