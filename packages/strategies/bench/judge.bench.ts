/**
 * Judge benchmark: Mann-Whitney judgments per second of one metric with 100 canary and
 * 100 baseline points, on one core, against two baselines in the same run: the threshold
 * judge on the same measurements, and a naive judgment (U by comparing all n·m pairs, the
 * Hodges-Lehmann interval by sorting all n·m differences).
 *
 * Run (from packages/strategies; core's and this package's dist must be built, as
 * `npm run bench:judge` at the root does):
 *
 *   node --import tsx bench/judge.bench.ts [seconds per case, default 2]
 *
 * The judges come from the built package, as a platform runs them: tsx's transform of the
 * sources adds a name helper to every function it creates, which makes a judgment about a
 * fifth slower.
 *
 * Rates are per CPU second of this process (process.cpuUsage), so that other load on a
 * shared machine inflates them less than wall-clock time would; the process is
 * single-threaded, so this is one core.
 */
import type { MeasurementV1 } from '@ferry/core';
import { analysisStep } from '@ferry/core/testing';
import { mannWhitneyJudge, thresholdJudge } from '@ferry/strategies';
// Only the naive baseline uses it.
import { normalCdf } from '../src/judges/mann-whitney/normal.js';

const SECONDS = Number(process.argv[2] ?? 2);
const POINTS = 100;
const SETS = 64;

/** Deterministic data: latencies around 100 ms, the canary 3 % slower; a few ties from rounding. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const random = rng(42);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const series = (center: number) => Array.from({ length: POINTS }, () => Math.round((center + 8 * gaussian()) * 100) / 100);
const sets: MeasurementV1[][] = Array.from({ length: SETS }, () => {
  const canary = series(103);
  const baseline = series(100);
  return [{ query: 'latency', rendered: 'latency', upperLimit: 200, canary: { value: canary[0] ?? null, series: canary }, baseline: { value: baseline[0] ?? null, series: baseline } }];
});
const step = analysisStep({ queries: ['latency'], judge: 'mannWhitney' });

/** The textbook way: O(n·m) pair comparisons for U, O(nm·log nm) sort for the interval. */
function naiveJudge(m: MeasurementV1): number {
  const x = m.canary.series ?? [];
  const y = m.baseline?.series ?? [];
  let u = 0;
  const diffs = new Float64Array(x.length * y.length);
  let k = 0;
  for (const a of x) {
    for (const b of y) {
      u += a > b ? 1 : a === b ? 0.5 : 0;
      diffs[k++] = a - b;
    }
  }
  diffs.sort();
  const nm = diffs.length;
  const sigma = Math.sqrt((nm * (x.length + y.length + 1)) / 12);
  const p = 2 * normalCdf(-Math.abs(u - nm / 2) / sigma);
  const c = Math.floor(nm / 2 + 0.5 - 1.959963984540054 * sigma);
  return (diffs[c - 1] as number) + (diffs[nm - c] as number) + p;
}

function measure(name: string, judgeOnce: (set: MeasurementV1[]) => unknown): number {
  let sink = 0;
  for (let i = 0; i < 2000; i++) sink += judgeOnce(sets[i % SETS] as MeasurementV1[]) ? 1 : 0; // warm up
  let count = 0;
  const start = process.cpuUsage();
  const deadline = performance.now() + SECONDS * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i++) sink += judgeOnce(sets[(count + i) % SETS] as MeasurementV1[]) ? 1 : 0;
    count += 100;
  }
  const cpu = process.cpuUsage(start);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = count / cpuSeconds;
  console.log(`${name.padEnd(34)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} judgments/s  (${((1e6 * cpuSeconds) / count).toFixed(1)} µs each, ${count} runs, sink ${sink > 0 ? 'ok' : '-'})`);
  return rate;
}

console.log(`one metric, ${POINTS} canary + ${POINTS} baseline points, ${SECONDS} s wall per case, rates per CPU second, node ${process.version}`);
const mw = mannWhitneyJudge();
const threshold = thresholdJudge();
const mwRate = measure('mannWhitney judge', (set) => mw.judge({ measurements: set, step }));
measure('threshold judge (same data)', (set) => threshold.judge({ measurements: set, step }));
const naiveRate = measure('naive O(n·m) U + sorted differences', (set) => naiveJudge(set[0] as MeasurementV1));
const verdicts = sets.map((set) => mw.judge({ measurements: set, step }).perMetric[0]?.result);
console.log(`mannWhitney is ${(mwRate / naiveRate).toFixed(1)}× the naive judgment; goal ≥ 20,000/s: ${mwRate >= 20_000 ? 'met' : 'NOT met'}`);
console.log(`verdicts over the ${SETS} data sets (canary 3 % slower): ${JSON.stringify(Object.fromEntries(['high', 'pass', 'low'].map((r) => [r, verdicts.filter((v) => v === r).length])))}`);
