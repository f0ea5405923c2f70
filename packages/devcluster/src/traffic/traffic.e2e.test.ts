import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds } from '../crds/install.js';
import { apply, jsonClient, sampleAppDeployment, sampleAppService, waitForReadyReplicaSet } from '../node/e2e-helpers.js';
import { type KubeHttp } from '../node/kube-http.js';
import { devcluster, useTestNamespace } from '../vitest/index.js';
import { startTraffic, type TrafficStats } from './start-traffic.js';

const RATE = 40;
const WINDOW_MS = 8_000;

/** Runs traffic for one window (after a warm-up) and answers its stats. */
async function observe(kubeconfigPath: string, namespace: string, service: string, stateDir: string): Promise<TrafficStats> {
  const traffic = await startTraffic({ kubeconfigPath, namespace, service, ratePerSecond: RATE, stateDir, maxDurationMs: 60_000 });
  try {
    await sleep(1_000);
    traffic.reset();
    await sleep(WINDOW_MS);
    return traffic.stats();
  } finally {
    await traffic.stop();
  }
}

function share(counts: Record<string, number>, key: string): number {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : (counts[key] ?? 0) / total;
}

/** Two ReplicaSets behind one Service: stable (v1) and canary (v2), each with its own Service too. */
async function deployStableAndCanary(kubeconfigPath: string, namespace: string, http: KubeHttp, stable: number, canary: number) {
  await apply(
    kubeconfigPath,
    namespace,
    [
      sampleAppDeployment({ name: 'web-stable', image: 'ferry/sample-app:v1', replicas: stable, labels: { track: 'stable' } }),
      sampleAppDeployment({ name: 'web-canary', image: 'ferry/sample-app:v2', replicas: canary, labels: { track: 'canary' } }),
      sampleAppService(),
      trackService('sample-app-stable', 'stable'),
      trackService('sample-app-canary', 'canary'),
    ].join('---\n'),
  );
  return {
    stableRs: await waitForReadyReplicaSet(http, namespace, 'web-stable', stable),
    canaryRs: await waitForReadyReplicaSet(http, namespace, 'web-canary', canary),
  };
}

function trackService(name: string, track: string): string {
  return `apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec:
  selector: { app: sample-app, track: ${track} }
  ports: [{ name: http, port: 80, targetPort: http }]
`;
}

describe('the traffic generator', () => {
  const ns = useTestNamespace({ prefix: 'traffic' });
  let http: KubeHttp;
  beforeAll(async () => {
    http = await jsonClient(devcluster().kubeconfigPath);
    await installCrds(devcluster().kubeconfigPath, ['smi', 'istio']);
  });
  afterAll(() => http.close());

  it('spreads a Service over two ReplicaSets in proportion to their ready pods', async () => {
    const { name, kubeconfigPath, cluster } = ns.current;
    const { stableRs, canaryRs } = await deployStableAndCanary(kubeconfigPath, name, http, 3, 1);
    const stats = await observe(kubeconfigPath, name, 'sample-app', cluster.dir);
    expect(stats.routing).toMatchObject({ source: 'service', readyEndpoints: { 'sample-app': 4 } });
    expect(stats.total).toBeGreaterThan(RATE * (WINDOW_MS / 1000) * 0.8);
    expect(stats.byStatus).toEqual({ '200': stats.total });
    expect(Math.abs(share(stats.byReplicaSet, stableRs) - 0.75)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(share(stats.byReplicaSet, canaryRs) - 0.25)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(share(stats.byVersion, 'v2') - 0.25)).toBeLessThanOrEqual(0.05);
  });

  it('splits by TrafficSplit, then VirtualService subset weights, before spreading over endpoints', async () => {
    const { name, kubeconfigPath, cluster } = ns.current;
    const { canaryRs } = await deployStableAndCanary(kubeconfigPath, name, http, 2, 2);

    await apply(kubeconfigPath, name, `apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: { name: sample-app }
spec:
  service: sample-app
  backends:
    - { service: sample-app-stable, weight: 90 }
    - { service: sample-app-canary, weight: 10 }
`);
    const smi = await observe(kubeconfigPath, name, 'sample-app', cluster.dir);
    expect(smi.routing?.source).toBe('TrafficSplit');
    expect(Math.abs(share(smi.byReplicaSet, canaryRs) - 0.1)).toBeLessThanOrEqual(0.05);
    await http.delete(`/apis/split.smi-spec.io/v1alpha2/namespaces/${name}/trafficsplits/sample-app`);

    await apply(kubeconfigPath, name, `apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: { name: sample-app }
spec:
  host: sample-app
  subsets:
    - { name: stable, labels: { track: stable } }
    - { name: canary, labels: { track: canary } }
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: sample-app }
spec:
  hosts: [sample-app]
  http:
    - route:
        - { destination: { host: sample-app, subset: stable }, weight: 60 }
        - { destination: { host: sample-app, subset: canary }, weight: 40 }
`);
    const istio = await observe(kubeconfigPath, name, 'sample-app', cluster.dir);
    expect(istio.routing?.source).toBe('VirtualService');
    expect(istio.routing?.readyEndpoints).toEqual({ 'sample-app/stable': 2, 'sample-app/canary': 2 });
    expect(Math.abs(share(istio.byReplicaSet, canaryRs) - 0.4)).toBeLessThanOrEqual(0.05);
  });

  it('splits by an HTTPRoute (Gateway API, Service parentRef) before spreading over endpoints', async () => {
    const { name, kubeconfigPath, cluster } = ns.current;
    await installCrds(kubeconfigPath, ['gatewayApi']);
    const { canaryRs } = await deployStableAndCanary(kubeconfigPath, name, http, 2, 2);
    await apply(kubeconfigPath, name, `apiVersion: gateway.networking.k8s.io/v1beta1
kind: HTTPRoute
metadata: { name: sample-app }
spec:
  parentRefs: [{ kind: Service, name: sample-app }]
  rules:
    - backendRefs:
        - { name: sample-app-stable, port: 80, weight: 25 }
        - { name: sample-app-canary, port: 80, weight: 75 }
`);
    const gateway = await observe(kubeconfigPath, name, 'sample-app', cluster.dir);
    expect(gateway.routing?.source).toBe('HTTPRoute');
    expect(Math.abs(share(gateway.byReplicaSet, canaryRs) - 0.75)).toBeLessThanOrEqual(0.05);
    expect(gateway.byStatus).toEqual({ '200': gateway.total });
  });

  it('stops by itself after its maximum duration', async () => {
    const { name, kubeconfigPath, cluster } = ns.current;
    const traffic = await startTraffic({ kubeconfigPath, namespace: name, service: 'nothing-here', ratePerSecond: 10, stateDir: cluster.dir, maxDurationMs: 1_500 });
    await traffic.done;
    const { total, byStatus } = traffic.stats();
    await sleep(500);
    expect(traffic.stats().total).toBe(total);
    expect(byStatus['no-endpoints']).toBeGreaterThan(5);
  });
});
