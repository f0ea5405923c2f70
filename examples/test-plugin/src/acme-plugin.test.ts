import { createEngine, definePlugin, FerryInputError, type DeployFile } from '@ferry/core';
import {
  MemoryStore,
  analysisStep,
  createManualClock,
  createRecordingCluster,
  driveToEnd,
  testDeployFile,
  testQuery,
  testTarget,
  testThresholdJudge,
} from '@ferry/core/testing';
import { describe, expect, it } from 'vitest';
import { acmePlugin } from './index.js';

function deployFile(objects: Array<{ kind: string; name: string; apiVersion?: string }>): DeployFile {
  return testDeployFile({
    targets: {
      dev: testTarget('dev', {
        after: [
          { kind: 'custom', stepKind: 'objectPresent', config: { objects } },
          analysisStep({ queries: ['latency'], metricProviderName: 'acme-metrics' }),
        ],
      }),
    },
    analysis: { queries: { latency: testQuery('latency', { upperLimit: 200, queryTemplate: 'latency{app="{{armory.applicationName}}",env="{{armory.environmentName}}"}' }) } },
  });
}

function setup() {
  const clock = createManualClock();
  const cluster = createRecordingCluster();
  const engine = createEngine({
    store: new MemoryStore(),
    clock,
    plugins: [
      acmePlugin({ metricsName: 'acme-metrics', values: { latency: 120 } }),
      definePlugin({
        id: 'example.infrastructure',
        register(ctx) {
          ctx.clusterConnectors.add(cluster.connector);
          ctx.judges.add(testThresholdJudge());
        },
      }),
    ],
  });
  return { clock, cluster, engine };
}

describe('the acme example plugin', () => {
  it('lets an engine run a deployment with its custom step kind and metric provider', async () => {
    const { clock, cluster, engine } = setup();
    const started = await engine.start(deployFile([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }]));
    const end = await driveToEnd(engine, clock, started.id);
    expect(end.state.status).toBe('SUCCEEDED');
    expect(cluster.operations.map((o) => `${o.verb} ${o.kind}/${o.name}`)).toEqual(['apply Deployment/web']);
    const events = await engine.listEvents(started.id);
    expect(events.find((e) => e.type === 'objectPresent.checked')?.stepId).toBe('dev/after/0');
    expect(events.find((e) => e.type === 'analysis.measured')?.data).toMatchObject({ query: 'latency', rendered: 'latency{app="app",env="dev"}', value: 120, verdict: 'pass' });
    await engine.close();
  });

  it('fails the afterDeployment constraint when an expected object is missing', async () => {
    const { clock, engine } = setup();
    const started = await engine.start(deployFile([{ kind: 'Service', name: 'web' }]));
    const end = await driveToEnd(engine, clock, started.id);
    expect(end.state.status).toBe('FAILED');
    expect(end.state.targets['dev']).toMatchObject({ status: 'FAILED', reason: 'step dev/after/0 failed: missing in cluster: Service/web' });
    await engine.close();
  });

  it('rejects a bad step config at start, with the key path', async () => {
    const { engine } = setup();
    await expect(engine.start(deployFile([]))).rejects.toThrow(/targets\.dev\.constraints\.afterDeployment\[0\]/);
    await engine.close();
  });

  it('validates its own options with zod at construction, naming the plugin', () => {
    expect(() => acmePlugin({ metricsName: '', values: { latency: 'fast' as unknown as number } })).toThrow(FerryInputError);
    expect(() => acmePlugin({ metricsName: '', values: {} })).toThrow(/^plugin "acme": invalid options: metricsName: /);
  });
});
