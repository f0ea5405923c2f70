import type { EngineEventV1, FerryEngine } from '@ferry/core';
import type { RunningTraffic } from '@ferry/devcluster';
import { useTestNamespace } from '@ferry/devcluster/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { replicasForWeight } from '@ferry/strategies';
import { clusterEngine, fileFor, stepKinds } from './support/engine.js';
import { replicaSetsByImage, type ReplicaSetCounts } from './support/replica-sets.js';
import { sample, share, trafficTo } from './support/traffic.js';
import { sleep, untilStatus, why } from './support/wait.js';

/**
 * Acceptance 1: a canary by pod ratio (no traffic provider) on the dev cluster. At each weight the
 * two ReplicaSets' ready pods match `replicasForWeight`, and the traffic the generator sends
 * through the Service (kube-proxy style: round-robin over ready endpoints) splits like the pods.
 */
const ns = useTestNamespace({ prefix: 'canary-ratio' });
const REPLICAS = 4;
const PAUSE_S = 12;
const STEPS = `    canary:
      steps:
        - setWeight: 25
        - pause: {duration: ${PAUSE_S}, unit: seconds}
        - setWeight: 50
        - pause: {duration: ${PAUSE_S}, unit: seconds}`;

let engine: FerryEngine | undefined;
let traffic: RunningTraffic | undefined;
afterEach(async () => {
  await traffic?.stop();
  await engine?.close();
  engine = traffic = undefined;
});

interface Observation {
  weight: number;
  before: Record<string, ReplicaSetCounts>;
  after: Record<string, ReplicaSetCounts>;
  v2Share: number;
  answered: number;
  failures: number;
}

describe('canary by pod ratio on the dev cluster', () => {
  it('v1 → v2 at 25/50/100: ready replicas follow replicasForWeight and traffic follows the pods', async () => {
    engine = clusterEngine(ns.current);
    const first = await engine.start(await fileFor(ns.current, { image: 'ferry/sample-app:v1', strategy: STEPS }));
    const v1 = await untilStatus(engine, first.id);
    expect(v1.status, why(v1)).toBe('SUCCEEDED');
    traffic = await trafficTo(ns.current, 'sample-app');

    const kinds = stepKinds(engine);
    const weights = [25, 50];
    const observations: Promise<Observation>[] = [];
    const running = traffic;
    // Each pause is the window in which the weight just set holds still: sample it there.
    engine.events.on('step.waiting', (event: EngineEventV1) => {
      if (!event.stepId || kinds.get(event.stepId) !== 'pause') return;
      const weight = weights[observations.length] ?? -1;
      observations.push(
        (async () => {
          // Endpoints of pods scaled down a moment ago leave the Service within the generator's refresh.
          await sleep(2_000);
          const before = await replicaSetsByImage(ns.current);
          const stats = await sample(running, (PAUSE_S - 5) * 1000);
          const after = await replicaSetsByImage(ns.current);
          const answered = Object.values(stats.byVersion).reduce((a, b) => a + b, 0);
          return { weight, before, after, v2Share: share(stats, 'v2'), answered, failures: stats.failures };
        })(),
      );
    });

    const second = await engine.start(await fileFor(ns.current, { image: 'ferry/sample-app:v2', strategy: STEPS }));
    const v2 = await untilStatus(engine, second.id);
    expect(v2.status, why(v2)).toBe('SUCCEEDED');
    const seen = await Promise.all(observations);
    expect(seen.map((o) => o.weight)).toEqual([25, 50]);

    for (const o of seen) {
      console.log(`weight ${o.weight}: ready v2/v1 ${o.before.v2?.ready}/${o.before.v1?.ready}, observed v2 share ${o.v2Share.toFixed(1)}% of ${o.answered} responses`);
      const expected = replicasForWeight(REPLICAS, o.weight);
      for (const counts of [o.before, o.after]) {
        expect({ weight: o.weight, canary: counts.v2?.ready, stable: counts.v1?.ready }).toEqual({ weight: o.weight, ...expected });
        expect({ canary: counts.v2?.desired, stable: counts.v1?.desired }).toEqual(expected);
      }
      // Compared with the weight the pods realise: ready canary / ready total. That is what a
      // Service without a mesh balances over; 25 and 50 of 4 replicas are realised exactly,
      // but another replica count would round, and the pods, not the requested weight, decide.
      const realised = (100 * o.before.v2!.ready) / (o.before.v2!.ready + o.before.v1!.ready);
      expect(o.answered, `traffic answered at weight ${o.weight}`).toBeGreaterThan(100);
      expect(o.failures).toBe(0);
      expect(Math.abs(o.v2Share - realised), `observed ${o.v2Share.toFixed(1)}% v2 vs ${realised}% realised at weight ${o.weight}`).toBeLessThanOrEqual(5);
    }

    // 100%: the promoted v2 serves everything, the v1 ReplicaSet is gone.
    const end = await replicaSetsByImage(ns.current);
    expect(Object.keys(end)).toEqual(['v2']);
    expect(end.v2).toMatchObject({ desired: REPLICAS, ready: REPLICAS });
    await sleep(1_500);
    const final = await sample(running, 3_000);
    expect(final.failures).toBe(0);
    expect(Object.keys(final.byVersion)).toEqual(['v2']);
  });
});
