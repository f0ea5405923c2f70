import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestNamespace, useTestNamespace, type TestNamespace } from '@ferry/devcluster/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { runEngineProcess, type ChildLine } from './support/child-engine.js';
import { clusterSnapshot, settled } from './support/cluster-snapshot.js';
import { sampleAppFile } from './support/deploy-file.js';

/**
 * Acceptance 4: the engine runs in a child process on a SQLite file and is killed with SIGKILL
 * at five points of a canary; each time a new process on the same file (same lease owner)
 * resumes it. What is left in the cluster must equal what an uninterrupted run of the same
 * deployments leaves in another namespace.
 */
const interrupted = useTestNamespace({ prefix: 'crash-killed' });
const STEPS = `    canary:
      steps:
        - setWeight: 25
        - pause: {duration: 4, unit: seconds}
        - setWeight: 50
        - pause: {duration: 4, unit: seconds}`;

let others: TestNamespace[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(others.map((ns) => ns.delete()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  others = [];
  dirs = [];
});

/** Where each of the five kills happens: the first line (of that process's life) matching it. */
const KILLS: Array<{ what: string; at: (line: ChildLine) => boolean }> = [
  { what: 'right after the deploy step completed', at: (l) => l.event === 'step.completed' && l.kind === 'deploy' },
  { what: 'while the first pause waits', at: (l) => l.event === 'step.waiting' && l.kind === 'pause' },
  { what: 'as setWeight 50 starts (mid-step)', at: (l) => l.event === 'step.started' && l.kind === 'setWeight' },
  { what: 'while the second pause waits', at: (l) => l.event === 'step.waiting' && l.kind === 'pause' },
  { what: 'right after the final setWeight 100, before promote', at: (l) => l.event === 'step.completed' && l.kind === 'setWeight' },
];

async function setup(ns: TestNamespace) {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-crash-e2e-'));
  dirs.push(dir);
  const base = { db: join(dir, 'ferry.db'), kubeconfigPath: ns.kubeconfigPath, owner: `crash-e2e-${ns.name}` };
  const file = (image: string) => sampleAppFile({ context: ns.kubeConfig.getCurrentContext(), namespace: ns.name, image, strategy: STEPS });
  return { base, file };
}

/** Runs one deployment to its end in one uninterrupted child process; returns its id. */
async function deployUninterrupted(env: Awaited<ReturnType<typeof setup>>, image: string): Promise<string> {
  const { base, file } = env;
  const run = runEngineProcess({ ...base, mode: 'start', file: file(image) });
  const code = await run.ended;
  expect(code, run.stderr()).toBe(0);
  expect(run.lines.at(-1)?.done, run.stderr()).toBe('SUCCEEDED');
  return run.lines.find((l) => l.deployment)!.deployment!;
}

describe('crash-resume with real process kills', () => {
  it('a canary killed five times ends in the same cluster state as an uninterrupted one', async () => {
    // The reference: v1 then v2, each in one process, in its own namespace.
    const reference = await createTestNamespace({ prefix: 'crash-reference' });
    others.push(reference);
    const referenceEnv = await setup(reference);
    const refV1 = await deployUninterrupted(referenceEnv, 'ferry/sample-app:v1');
    const refV2 = await deployUninterrupted(referenceEnv, 'ferry/sample-app:v2');
    await settled(reference);
    const expected = await clusterSnapshot(reference, [refV1, refV2]);

    // The same two deployments, v2 interrupted by SIGKILL five times, on one SQLite file.
    const ns = interrupted.current;
    const { base, file } = await setup(ns);
    const v1Id = await deployUninterrupted({ base, file }, 'ferry/sample-app:v1');

    const lives: Array<{ ended: 'killed' | number; lines: ChildLine[] }> = [];
    let v2Id: string | undefined;
    for (let life = 0; life <= KILLS.length; life++) {
      const kill = KILLS[life];
      const run = runEngineProcess(life === 0 ? { ...base, mode: 'start', file: file('ferry/sample-app:v2') } : { ...base, mode: 'resume' }, (line) => (kill ? kill.at(line) : false));
      const ended = await run.ended;
      lives.push({ ended, lines: run.lines });
      v2Id ??= run.lines.find((l) => l.deployment)?.deployment;
      // Every life but the last is killed at its point; the last one finishes the deployment.
      expect({ life, ended, stderr: run.stderr() }).toEqual({ life, ended: kill ? 'killed' : 0, stderr: '' });
      if (kill) expect(kill.at(run.lines.at(-1)!), `life ${life} killed ${kill.what}`).toBe(true);
    }
    expect(lives.at(-1)!.lines.at(-1)).toMatchObject({ done: 'SUCCEEDED' });
    // Each restarted process resumed the same deployment.
    expect(new Set(lives.map((l) => l.lines.find((x) => x.deployment)?.deployment))).toEqual(new Set([v2Id]));

    await settled(ns);
    const actual = await clusterSnapshot(ns, [v1Id, v2Id!]);
    expect(actual).toEqual(expected);
    // And the state is the promoted one: a single v2 ReplicaSet at 4 ready replicas.
    const rs = (actual as { replicaSets: Array<{ spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } }; status: { readyReplicas: number } }> }).replicaSets;
    expect(rs.map((r) => [r.spec.template.spec.containers[0]?.image, r.spec.replicas, r.status.readyReplicas])).toEqual([['ferry/sample-app:v2', 4, 4]]);
  });
});
