import { createEngine, definePlugin, parseDeployFile, type DeployFile, type DeploymentStateV1, type EngineEventV1, type FerryEngine, type KubeObject, type TrafficProviderV1 } from '@ferry/core';
import { MemoryStore } from '@ferry/core/testing';
import { installCrds } from '@ferry/devcluster';
import { devcluster, useTestNamespace } from '@ferry/devcluster/vitest';
import { canary, thresholdJudgePlugin } from '@ferry/strategies';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kubernetes } from '../kubernetes/plugin.js';
import { canaryCases, type CanaryCase, type Phase, type Ref } from './test-support/canary-cases.js';

/**
 * Real canary deployments through `createEngine` on the dev cluster (its simulated node makes
 * `ferry/sample-app:*` pods ready) with each traffic provider: what its objects route after
 * each step, and what is left once the deployment is promoted or rolled back.
 */
const ns = useTestNamespace({ prefix: 'canary-traffic' });
const DONE = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED'];

beforeAll(async () => {
  await installCrds(devcluster().kubeconfigPath, ['smi', 'istio', 'gatewayApi']);
});

let engine: FerryEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

function deployFile(c: CanaryCase, image: string, steps: number[] | string[]): Promise<DeployFile> {
  const context = ns.current.kubeConfig.getCurrentContext();
  const stepLines = steps.map((s) => `        - ${typeof s === 'number' ? `setWeight: ${s}` : s}`).join('\n');
  return parseDeployFile(`version: v1
kind: kubernetes
application: web
deploymentConfig:
  timeout: {duration: 120, unit: seconds}
targets:
  dev:
    account: ${context}
    namespace: ${ns.current.name}
    strategy: canary
strategies:
  canary:
    canary:
      steps:
${stepLines}
trafficManagement:
${c.trafficManagement}
# protocol is spelled out: Kubernetes 1.20's server-side apply rejects ports without it.
manifests:
  - inline: |
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, labels: {app: web}}
      spec:
        replicas: 1
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: web
                image: ${image}
                ports: [{name: http, containerPort: 8080, protocol: TCP}]
                readinessProbe:
                  httpGet: {path: /health/readiness, port: http}
                  periodSeconds: 1
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, labels: {app: web}}
      spec:
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
`);
}

async function read(apiVersion: string, kind: string, name: string): Promise<KubeObject | null> {
  try {
    return (await ns.current.objects.read({ apiVersion, kind, metadata: { name, namespace: ns.current.name } })) as unknown as KubeObject;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return null;
    throw error;
  }
}

/** The spec of each object, or `absent`. */
const specs = (refs: Ref[]) => Promise.all(refs.map(async ([a, k, n]) => `${k}/${n}: ${JSON.stringify((await read(a, k, n))?.spec ?? 'absent')}`));

/** One run: the real provider with its restore held until every step's read is done, the calls in order, and what each completed step saw. */
class Run {
  readonly pending = new Set<Promise<unknown>>();
  readonly calls: string[] = [];
  readonly seen: string[] = [];
  readonly engine: FerryEngine;

  constructor(private readonly c: CanaryCase) {
    this.engine = createEngine({
      store: new MemoryStore(),
      plugins: [
        canary({ pollIntervalMs: 500 }),
        thresholdJudgePlugin(),
        kubernetes({ kubeconfigPath: ns.current.kubeconfigPath }),
        definePlugin({ id: `test.${c.provider.kind}`, register: (ctx) => ctx.trafficProviders.add(this.gated()) }),
      ],
    });
    this.engine.events.on('step.completed', (_event: EngineEventV1) => {
      const observed = c.observe(read).then((o) => this.seen.push(o));
      this.pending.add(observed);
      void observed.finally(() => this.pending.delete(observed));
    });
  }

  /** The promotion restores right after the last weight: the test must see that weight first. */
  private gated(): TrafficProviderV1 {
    const p = this.c.provider;
    return {
      ...p,
      setWeight: async (ctx, weight) => {
        this.calls.push(`setWeight ${weight}`);
        return p.setWeight(ctx, weight);
      },
      restore: async (ctx) => {
        await Promise.all([...this.pending]);
        this.calls.push('restore');
        return p.restore(ctx);
      },
    };
  }

  async until(id: string, timeoutMs = 90_000): Promise<DeploymentStateV1> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const record = await this.engine.get(id);
      if (DONE.includes(record.state.status)) return record.state;
      if (Date.now() > deadline) throw new Error(`deployment ${id} is ${record.state.status} after ${timeoutMs} ms: ${record.state.reason ?? ''}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async waitToSee(what: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.seen.includes(what)) {
      if (Date.now() > deadline) throw new Error(`"${what}" never seen: ${JSON.stringify(this.seen)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function expectSucceeded(state: DeploymentStateV1): void {
  const why = [state.reason, ...Object.values(state.targets).map((t) => t.reason)].filter(Boolean).join('; ');
  expect(state.status, why).toBe('SUCCEEDED');
}

/** v1 (straight to 100%, no traffic steps), then the user's own objects made with kubectl; returns what must come back. */
async function firstVersion(c: CanaryCase, run: Run, phase: Phase) {
  const first = await run.engine.start(await deployFile(c, 'ferry/sample-app:v1', [25]));
  expectSucceeded(await run.until(first.id));
  expect(await c.observe(read)).toBe('none');
  for (const object of c.userObjects(ns.current.name, phase)) await ns.current.objects.create(object as never);
  const refs: Ref[] = [['v1', 'Service', 'web'], ...c.touched];
  const before = await specs(refs);
  const idle = await c.observe(read);
  run.seen.length = 0;
  return { refs, before, idle };
}

describe.each(Object.entries(canaryCases))('a canary deployment with the %s provider on the dev cluster', (_kind, c) => {
  it('moves the weights 25 → 50 → 100 and restores the routing once promoted', async () => {
    const run = new Run(c);
    engine = run.engine;
    const { refs, before, idle } = await firstVersion(c, run, 'promotion');

    const second = await run.engine.start(await deployFile(c, 'ferry/sample-app:v2', [25, 50]));
    expectSucceeded(await run.until(second.id));
    await Promise.all([...run.pending]);
    expect(run.seen).toEqual([
      idle, // deploy: the canary ReplicaSet is up, no traffic yet
      c.weighted(25),
      c.weighted(50),
      c.weighted(100), // the implicit final setWeight 100
      idle, // promoted: the user's objects are back, the ones Ferry created are gone
    ]);
    expect(run.calls).toEqual(['setWeight 25', 'setWeight 50', 'setWeight 100', 'restore']);
    expect(await specs(refs)).toEqual(before);
  });

  it(`sends traffic back to stable and restores the user's objects after a rollback at ${c.rollbackAt}%`, async () => {
    const run = new Run(c);
    engine = run.engine;
    const { refs, before, idle } = await firstVersion(c, run, 'rollback');
    const weights = c.rollbackAt === 25 ? [25] : [25, 50];

    const second = await run.engine.start(await deployFile(c, 'ferry/sample-app:v2', [...weights.map((w) => `setWeight: ${w}`), 'pause: {untilApproved: true}']));
    // Wait until the pause asks for approval: the last weight step is done.
    await run.waitToSee(c.weighted(c.rollbackAt));
    await run.engine.rollback(second.id, { by: 'test' });
    const ended = await run.until(second.id);
    expect(ended.status).not.toBe('SUCCEEDED');
    expect(ended.targets.dev?.status).toBe('ROLLED_BACK');
    await Promise.all([...run.pending]);
    expect(run.seen.slice(0, weights.length + 1)).toEqual([idle, ...weights.map((w) => c.weighted(w))]);
    expect(run.calls).toEqual([...weights.map((w) => `setWeight ${w}`), 'setWeight 0', 'restore']);
    expect(await specs(refs)).toEqual(before);
    expect(await c.observe(read)).toBe(idle);
  });
});
