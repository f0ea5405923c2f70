import { startTraffic, type RunningTraffic } from '@ferry/devcluster';
import type { TestNamespace } from '@ferry/devcluster/vitest';

/** Steady real requests at the sample app's Service, spread over its ready pods like kube-proxy. */
export function trafficTo(ns: TestNamespace, ratePerSecond = 20): Promise<RunningTraffic> {
  return startTraffic({
    kubeconfigPath: ns.kubeconfigPath,
    namespace: ns.name,
    service: 'sample-app',
    ratePerSecond,
    stateDir: ns.cluster.dir,
    maxDurationMs: 5 * 60_000,
  });
}
