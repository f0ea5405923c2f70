import type { EngineEventV1, FerryEngine } from '@ferry/core';
import type { RunningTraffic } from '@ferry/devcluster';
import { useTestNamespace } from '@ferry/devcluster/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterEngine, fileFor } from './support/engine.js';
import { replicaSetsByImage } from './support/replica-sets.js';
import { sample, trafficTo } from './support/traffic.js';
import { sleep, until, untilStatus, why } from './support/wait.js';

/**
 * Acceptance 2: blue/green v1 → v2 on the dev cluster, watched through two traffic generators,
 * one on the active Service and one on the preview Service.
 */
const ns = useTestNamespace({ prefix: 'blue-green' });
const STRATEGY = `    blueGreen:
      activeService: sample-app
      previewService: sample-app-preview
      redirectTrafficAfter:
        - pause: {untilApproved: true}
      shutDownOldVersionAfter:
        - pause: {duration: 5, unit: seconds}`;

let engine: FerryEngine | undefined;
const generators: RunningTraffic[] = [];
afterEach(async () => {
  await Promise.all(generators.splice(0).map((t) => t.stop()));
  await engine?.close();
  engine = undefined;
});

describe('blue/green on the dev cluster', () => {
  it('previews v2 while v1 stays active, redirects on approval, then removes the old ReplicaSet', async () => {
    engine = clusterEngine(ns.current);
    const file = (image: string) => fileFor(ns.current, { image, strategy: STRATEGY, extraServices: ['sample-app-preview'] });
    const first = await engine.start(await file('ferry/sample-app:v1'));
    const v1 = await untilStatus(engine, first.id);
    expect(v1.status, why(v1)).toBe('SUCCEEDED');
    const active = await trafficTo(ns.current, 'sample-app');
    const preview = await trafficTo(ns.current, 'sample-app-preview');
    generators.push(active, preview);

    let approvalAsked = false;
    engine.events.on('approval.requested', (event: EngineEventV1) => {
      if (event.target === 'dev') approvalAsked = true;
    });
    const second = await engine.start(await file('ferry/sample-app:v2'));
    await until('the redirect approval', async () => (approvalAsked ? true : undefined), 180_000);

    // Waiting on the approval: preview serves v2 only, active v1 only.
    await sleep(1_500); // the generators re-read Endpoints every 500 ms
    const [waitingActive, waitingPreview] = await Promise.all([sample(active, 5_000), sample(preview, 5_000)]);
    expect(waitingActive.total).toBeGreaterThan(100);
    expect(waitingPreview.total).toBeGreaterThan(100);
    expect(waitingActive.byVersion).toEqual({ v1: waitingActive.total });
    expect(waitingPreview.byVersion).toEqual({ v2: waitingPreview.total });
    const during = await replicaSetsByImage(ns.current);
    expect({ v1: during.v1?.ready, v2: during.v2?.ready }).toEqual({ v1: 4, v2: 4 });

    await engine.approve(second.id, { target: 'dev', by: 'e2e' });
    // Redirected: the old ReplicaSet still exists (shutdown waits 5 s) but active now serves v2.
    await until('the active Service to select v2', async () => {
      const svc = await ns.current.core.readNamespacedService({ name: 'sample-app', namespace: ns.current.name });
      const rs = await replicaSetsByImage(ns.current);
      const hash = rs.v2?.name.split('-').pop();
      return hash && Object.values(svc.spec?.selector ?? {}).includes(hash) ? true : undefined;
    });
    await sleep(1_500);
    const redirected = await sample(active, 3_000);
    expect(redirected.total).toBeGreaterThan(50);
    expect(redirected.byVersion).toEqual({ v2: redirected.total });

    const done = await untilStatus(engine, second.id);
    expect(done.status, why(done)).toBe('SUCCEEDED');
    // After shutDownOldVersionAfter: the v1 ReplicaSet is gone, and so are its pods.
    const after = await replicaSetsByImage(ns.current);
    expect(Object.keys(after)).toEqual(['v2']);
    await until('the v1 pods to be gone', async () => {
      const pods = await ns.current.core.listNamespacedPod({ namespace: ns.current.name });
      return pods.items.every((p) => p.spec?.containers[0]?.image === 'ferry/sample-app:v2') ? true : undefined;
    });
    const end = await sample(active, 3_000);
    expect(end.failures).toBe(0);
    expect(end.byVersion).toEqual({ v2: end.total });
  });
});
