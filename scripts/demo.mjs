#!/usr/bin/env node
// The README's main job (`npm run demo`): installs what it needs, builds, then runs real
// canaries of the sample app on a local dev cluster through a Ferry hub and a Remote Network
// Agent (examples/demo). Arguments pass through: `npm run demo -- --kube-context NAME ...`.
import { installDependencies, installDevClusterPrerequisites, run } from './lib/setup.mjs';

const ok =
  installDependencies() &&
  installDevClusterPrerequisites() &&
  run('build', 'npx', ['turbo', 'run', 'build', '--filter=@ferry/example-demo...', '--output-logs=errors-only']) &&
  run('demo', 'node', ['examples/demo/dist/main.js', ...process.argv.slice(2)]);
process.exit(ok ? 0 : 1);
