#!/usr/bin/env node
// The README's test command (`npm test`): installs what the tests need, then runs every
// check and test of every package. Safe to run on a fresh clone and again afterwards.
//
// 1. npm dependencies (npm ci) when node_modules is missing or older than the lockfile;
// 2. system prerequisites for the dev cluster (Debian packages, Kubernetes binaries built
//    once from Debian's source and cached outside the repo);
// 3. build, type-check, lint and unit tests through turbo;
// 4. end-to-end tests (real dev cluster, Prometheus, PostgreSQL), one package at a time so
//    two packages never start clusters at once on a 2-core machine;
// 5. the failed tests by file and name, then one closing line that sums up every vitest run:
//    `tests: N passed, N failed`.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { installDependencies, installDevClusterPrerequisites, root, run } from './lib/setup.mjs';

// Each package's `test` and `test:e2e` scripts write vitest's JSON report under these names.
const RESULTS = ['.vitest-results.json', '.vitest-results.e2e.json'];

/** The vitest JSON reports of every workspace (fs.globSync needs Node 22, so list by hand). */
function resultFiles() {
  return ['packages', 'examples'].flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group))
          .flatMap((name) => RESULTS.map((file) => join(root, group, name, file)))
          .filter((file) => existsSync(file))
      : [],
  );
}

function summarize() {
  let passed = 0;
  let failed = 0;
  const failures = [];
  for (const file of resultFiles()) {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTests ?? 0);
    for (const suite of report.testResults ?? []) {
      const where = relative(root, suite.name ?? file);
      const failedTests = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
      for (const test of failedTests) failures.push(`${where} > ${test.fullName ?? test.title}\n    ${firstLine(test.failureMessages)}`);
      // A suite that failed without a failed test (an import or hook error) still names its file.
      if (suite.status === 'failed' && failedTests.length === 0) failures.push(`${where}\n    ${firstLine([suite.message])}`);
    }
  }
  return { passed, failed, failures };
}

function firstLine(messages) {
  const text = (messages ?? []).find((message) => typeof message === 'string' && message.length > 0) ?? '(no message)';
  return text.split('\n')[0].slice(0, 300);
}

for (const file of resultFiles()) rmSync(file);

const ready =
  installDependencies() && installDevClusterPrerequisites() && run('build', 'npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);
const unitOk = ready && run('type-check, lint, unit tests', 'npx', ['turbo', 'run', 'typecheck', 'lint', 'test', '--concurrency=2', '--output-logs=new-only', '--continue']);
// E2E suites run even when a unit suite failed, so one run shows every failure.
const e2eOk = ready && run('end-to-end tests', 'npx', ['turbo', 'run', 'test:e2e', '--concurrency=1', '--output-logs=new-only', '--continue']);
const ok = unitOk && e2eOk;

const { passed, failed, failures } = summarize();
// Failures are listed last, right above the count, so the tail of a CI log names them.
if (failures.length > 0) console.log(`\nfailed:\n${failures.map((failure) => `  ${failure}`).join('\n')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
