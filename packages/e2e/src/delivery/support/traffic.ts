import { startTraffic, type RunningTraffic, type TrafficStats } from '@ferry/devcluster';
import type { TestNamespace } from '@ferry/devcluster/vitest';
import { sleep } from './wait.js';

/** The dev cluster's traffic generator aimed at a Service of the test namespace. */
export function trafficTo(ns: TestNamespace, service: string, ratePerSecond = 40): Promise<RunningTraffic> {
  return startTraffic({ kubeConfig: ns.kubeConfig, namespace: ns.name, service, ratePerSecond, stateDir: ns.cluster.dir, refreshMs: 500, maxDurationMs: 10 * 60_000 });
}

/** Resets the counters, lets traffic run for `ms`, and returns what it saw in that window. */
export async function sample(traffic: RunningTraffic, ms: number): Promise<TrafficStats> {
  traffic.reset();
  await sleep(ms);
  return traffic.stats();
}

/** Share (in points, 0-100) of the sampled responses that came from `version`. */
export function share(stats: TrafficStats, version: string): number {
  const answered = Object.values(stats.byVersion).reduce((a, b) => a + b, 0);
  return answered === 0 ? Number.NaN : (100 * (stats.byVersion[version] ?? 0)) / answered;
}
