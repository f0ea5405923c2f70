/**
 * Engine benchmark: 1,000 concurrent 6-step canaries on the fake cluster, with timers
 * fast-forwarded by a manual clock.
 *
 * Run (from packages/strategies; tsx follows this package's tsconfig paths to core's
 * source, so nothing needs building first):
 *
 *   npm run bench -w @ferry/strategies
 *   # = node --expose-gc --import tsx bench/engine.bench.ts [deployments]
 *
 * Phase 1 deploys v1 of every application (first deployments, not measured). Phase 2
 * starts v2 of all of them at once and drives them to the end; it reports
 * - CPU time per step: process.cpuUsage() over phase 2 / steps run (engine, strategy,
 *   MemoryStore and fake cluster together: there is nothing else in the process);
 * - heap per active deployment: heap after gc with all of them in flight (each parked in
 *   its first pause), minus the heap after gc before they started, / deployments;
 * - the peak heap seen while driving, and the wall-clock total.
 */
import { createEngine, definePlugin, type DeployFile, type StepConfig } from '@ferry/core';
import { createFakeCluster, createManualClock, MemoryStore, testDeployFile, testTarget, timedPause } from '@ferry/core/testing';
import { canary } from '../src/plugins.js';

const COUNT = Number(process.argv[2] ?? 1000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (see the header of this file)');

const STEPS: StepConfig[] = [
  { kind: 'setWeight', weight: 20 },
  timedPause(60),
  { kind: 'setWeight', weight: 40 },
  timedPause(60),
  { kind: 'setWeight', weight: 60 },
  timedPause(60),
];

function deployFile(i: number, image: string): DeployFile {
  const target = { ...testTarget('prod', { strategy: 'rollout', account: 'bench' }), namespace: `app-${i}` };
  return testDeployFile(
    { application: `app-${i}`, targets: { prod: target }, strategies: { rollout: { kind: 'canary', name: 'rollout', steps: STEPS } } },
    [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { replicas: 5, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
    ],
  );
}

const clock = createManualClock();
const cluster = createFakeCluster({ clock });
const engine = createEngine({
  store: new MemoryStore(),
  clock,
  plugins: [canary(), definePlugin({ id: 'bench.cluster', register: (ctx) => ctx.clusterConnectors.add(cluster.connector) })],
});

let stepsRun = 0;
let finished = 0;
engine.events.on('step.started', () => stepsRun++);
engine.events.on('deployment.completed', () => finished++);

/** Lets the engine settle, then fires timers until every started deployment has ended. */
async function drive(expected: number, onTick: () => void = () => {}): Promise<void> {
  for (;;) {
    await engine.idle();
    onTick();
    if (finished >= expected) return;
    if (!clock.runNext()) throw new Error(`${expected - finished} deployments stuck with no timer left`);
  }
}

const heap = () => process.memoryUsage().heapUsed;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

// Phase 1: v1 everywhere (first deployments go straight to 100%).
await Promise.all(Array.from({ length: COUNT }, (_, i) => engine.start(deployFile(i, 'web:1'))));
await drive(COUNT);
finished = 0;
stepsRun = 0;
cluster.clearOperations();

// Phase 2: v2 everywhere, concurrently.
const micros = (u: NodeJS.CpuUsage) => u.user + u.system;
gc();
const heapBefore = heap();
const cpuStart = process.cpuUsage();
const wallBefore = performance.now();
const clockBefore = clock.now();
await Promise.all(Array.from({ length: COUNT }, (_, i) => engine.start(deployFile(i, 'web:2'))));
await engine.idle();
// Every deployment is now parked in its first pause. The forced gc is the benchmark's own
// work, so its CPU is taken out of the engine's.
const gcStart = process.cpuUsage();
gc();
const heapActive = heap() - heapBefore;
const gcCpu = micros(process.cpuUsage(gcStart));
let peak = heap();
await drive(COUNT, () => {
  peak = Math.max(peak, heap());
});
const cpuMicros = micros(process.cpuUsage(cpuStart)) - gcCpu;
const wallMs = performance.now() - wallBefore;

const records = await engine.list({ limit: COUNT * 2 });
const failedRuns = records.filter((r) => r.state.status !== 'SUCCEEDED').length;
await engine.close();

console.log(`deployments:               ${COUNT} concurrent canaries, ${STEPS.length} configured steps each (${stepsRun / COUNT} engine steps with deploy, final weight, promote)`);
console.log(`not succeeded:             ${failedRuns}`);
console.log(`steps run:                 ${stepsRun}`);
console.log(`CPU per step:              ${(cpuMicros / stepsRun / 1000).toFixed(3)} ms (user+system ${(cpuMicros / 1e6).toFixed(2)} s total)`);
console.log(`heap per active deployment: ${(heapActive / COUNT / 1024).toFixed(1)} KiB (after gc, all ${COUNT} in flight)`);
console.log(`peak heap while driving:   ${mb(peak)} (baseline after phase 1: ${mb(heapBefore)})`);
console.log(`cluster writes:            ${cluster.operations().length}`);
console.log(`total wall time:           ${(wallMs / 1000).toFixed(2)} s for ${((clock.now() - clockBefore) / 1000).toFixed(0)} s of clock time`);
if (failedRuns > 0) process.exitCode = 1;
