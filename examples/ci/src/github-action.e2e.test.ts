import { createTestNamespace, type TestNamespace } from '@ferry/devcluster/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorkspace, runAction } from './run-action.js';
import { sampleAppWorkspace } from './sample-app.js';
import { startCiHub, type CiTestHub } from './test-hub.js';

/**
 * The GitHub Action end to end: a hub whose kubeconfig reaches the dev cluster, a target
 * registered for the cluster's context, and the action run twice as a runner runs it (the
 * first release of v1, then a canary to v2), waiting each time for SUCCEEDED.
 */
let hub: CiTestHub | undefined;
let ns: TestNamespace | undefined;
const workspaces: Array<{ remove(): Promise<void> }> = [];

beforeEach(async () => {
  ns = await createTestNamespace({ prefix: 'ci-action' });
  hub = await startCiHub({ kubeconfig: ns.kubeconfigPath });
  await hub.hub.repositories.targets.put({ tenant: 'default', name: 'dev-cluster', kind: 'kubeconfig', ref: ns.kubeConfig.getCurrentContext() });
});
afterEach(async () => {
  await hub?.close();
  await ns?.delete();
  await Promise.all(workspaces.splice(0).map((w) => w.remove()));
  hub = ns = undefined;
});

async function release(image: string) {
  const ws = await makeWorkspace(sampleAppWorkspace({ account: 'dev-cluster', namespace: (ns as TestNamespace).name, image }));
  workspaces.push(ws);
  const h = hub as CiTestHub;
  return runAction(ws.dir, {
    'path-to-file': 'deploy.yml',
    clientId: h.clientId,
    clientSecret: h.clientSecret,
    hubUrl: h.url,
    caFile: h.caFile,
    addContext: `image=${image}`,
    waitForDeployment: 'true',
  });
}

async function liveImages(): Promise<Record<string, number>> {
  const pods = await (ns as TestNamespace).core.listNamespacedPod({ namespace: (ns as TestNamespace).name });
  const images: Record<string, number> = {};
  for (const pod of pods.items) {
    if (pod.metadata?.deletionTimestamp || !pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    const image = pod.spec?.containers[0]?.image ?? '?';
    images[image] = (images[image] ?? 0) + 1;
  }
  return images;
}

describe('the GitHub Action on a dev cluster', () => {
  it('deploys v1, then canaries to v2, each run waiting for SUCCEEDED', async () => {
    const first = await release('ferry/sample-app:v1');
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(first.outputs.RUN_RESULT).toBe('SUCCEEDED');
    expect(first.summary).toContain('✅ Ferry deployment of ci-sample-app: SUCCEEDED');

    const second = await release('ferry/sample-app:v2');
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    expect(second.outputs.RUN_RESULT).toBe('SUCCEEDED');
    expect(second.outputs.DEPLOYMENT_ID).not.toBe(first.outputs.DEPLOYMENT_ID);
    expect(second.summary).toMatch(/\| dev \| SUCCEEDED \|/);
    // The wait printed the canary's progress on the way.
    expect(second.stdout).toMatch(/RUNNING dev=/);

    const record = await (hub as CiTestHub).hub.engine.get(second.outputs.DEPLOYMENT_ID as string);
    expect(record.spec.context).toMatchObject({ image: 'ferry/sample-app:v2' });
    await expect.poll(liveImages, { timeout: 60_000, interval: 500 }).toEqual({ 'ferry/sample-app:v2': 2 });
  });
});
