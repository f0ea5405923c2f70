import { createEngine, definePlugin, parseDeployFile, type FerryEngine } from '@ferry/core';
import { MemoryStore, createFakeCluster } from '@ferry/core/testing';
import { canary, thresholdJudgePlugin } from '@ferry/strategies';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// The package as users get it: its name resolves to the built dist (turbo builds before testing).
import { httpJson } from '@ferry-examples/metric-provider-http-json';
import { startMetricsServer } from './metrics-server.test-support.js';

/**
 * The package used as a user would: registered as a plugin, named in a deploy file's
 * analysis, queried over real HTTP by the engine's analysis step (the cluster is in memory).
 */
let server: Awaited<ReturnType<typeof startMetricsServer>>;
let engine: FerryEngine;
const errorRates: Record<string, number> = { healthy: 0.01, broken: 0.2 };

beforeEach(async () => {
  server = await startMetricsServer((r) => ({ json: { data: { errorRate: errorRates[/app="([^"]+)"/.exec(r.params.query ?? '')?.[1] ?? ''] ?? null } } }));
  const cluster = createFakeCluster({ readyDelayMs: 10 });
  engine = createEngine({
    store: new MemoryStore(),
    pollIntervalMs: 50,
    plugins: [
      canary({ pollIntervalMs: 50 }),
      thresholdJudgePlugin(),
      definePlugin({ id: 'test.cluster', register: (ctx) => ctx.clusterConnectors.add(cluster.connector) }),
      httpJson({ name: 'company-metrics', url: `${server.url}/api/query`, valuePath: 'data.errorRate', headers: { authorization: 'Bearer m' } }),
    ],
  });
});
afterEach(async () => {
  await engine.close();
  await server.close();
});

const file = (application: string) =>
  parseDeployFile(`version: v1
kind: kubernetes
application: ${application}
targets:
  prod:
    account: prod
    namespace: shop
    strategy: rollout
    constraints:
      beforeDeployment:
        - analysis: {interval: 1, units: seconds, numberOfJudgmentRuns: 1, queries: [errorRate]}
strategies:
  rollout: {canary: {steps: [{setWeight: 50}]}}
analysis:
  defaultMetricProviderName: company-metrics
  queries:
    - name: errorRate
      upperLimit: 0.05
      queryTemplate: 'error_rate{app="{{armory.applicationName}}",env="{{armory.environmentName}}"}'
manifests:
  - inline: |
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: web, image: "web:1"}]}
`);

async function untilEnded(id: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { state } = await engine.get(id);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(state.status)) return state;
    if (Date.now() > deadline) throw new Error(`still ${state.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('httpJson registered as a plugin', () => {
  it('passes an analysis whose value is within the limit and deploys', async () => {
    const started = await engine.start(await file('healthy'));
    const state = await untilEnded(started.id);
    expect(state.status).toBe('SUCCEEDED');
    expect(server.seen.map((r) => r.params.query)).toContain('error_rate{app="healthy",env="prod"}');
    expect(server.seen.every((r) => r.authorization === 'Bearer m')).toBe(true);
    const measured = (await engine.listEvents(started.id)).filter((e) => e.type === 'analysis.measured');
    expect(JSON.stringify(measured)).toContain('0.01');
  });

  it('fails the target when the value is over the limit', async () => {
    const started = await engine.start(await file('broken'));
    const state = await untilEnded(started.id);
    expect(state.status).toBe('FAILED');
    expect(server.seen.map((r) => r.params.query)).toContain('error_rate{app="broken",env="prod"}');
    expect(JSON.stringify(state.targets.prod)).toMatch(/errorRate/);
  });
});
