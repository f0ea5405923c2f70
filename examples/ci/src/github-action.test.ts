import { DEPLOYMENT_STATUSES } from '@ferry/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, runAction } from './run-action.js';
import { startCiHub, type CiTestHub } from './test-hub.js';

/**
 * The GitHub Action (actions/deploy/src/main.mjs) run as the runner runs it, against a real
 * hub over TLS with its own CA. No cluster here: the file's target is not registered on the
 * hub, so the deployment fails fast and for a known reason. The successful rollout on a dev
 * cluster is in github-action.e2e.test.ts.
 */
let hub: CiTestHub;
const workspaces: Array<{ remove(): Promise<void> }> = [];

beforeAll(async () => {
  hub = await startCiHub();
});
afterAll(async () => {
  await hub?.close();
});
afterEach(async () => {
  await Promise.all(workspaces.splice(0).map((w) => w.remove()));
});

const DEPLOY_FILE = `version: v1
kind: kubernetes
application: from-file
context:
  team: payments
targets:
  dev:
    account: unregistered-cluster
    namespace: shop
    strategy: quick
strategies:
  quick:
    canary:
      steps:
        - setWeight: 50
manifests:
  - path: manifests/
    targets: [dev]
  - {path: extra/config.yaml}
`;

const MANIFESTS = {
  'deploy/manifests/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {greeting: hello}\n',
  'deploy/manifests/nested/more.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: more}\ndata: {a: b}\n',
  'deploy/extra/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\ndata: {c: d}\n',
  'deploy/manifests/README.txt': 'not a manifest',
};

async function workspace(files: Record<string, string>): Promise<string> {
  const ws = await makeWorkspace(files);
  workspaces.push(ws);
  return ws.dir;
}

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'path-to-file': 'deploy/deploy.yml',
    clientId: hub.clientId,
    clientSecret: hub.clientSecret,
    hubUrl: hub.url,
    caFile: hub.caFile,
    ...extra,
  };
}

describe('the Ferry GitHub Action against a real hub', () => {
  it('starts a deployment with the file, its manifests, the application override and the added context, and sets the outputs', async () => {
    const dir = await workspace({ 'deploy/deploy.yml': DEPLOY_FILE, ...MANIFESTS });
    const result = await runAction(dir, inputs({ applicationName: 'checkout', addContext: 'commit=abc123, branch=main' }));

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const id = result.outputs.DEPLOYMENT_ID as string;
    expect(id).toMatch(/\S/);
    expect(result.outputs.LINK).toBe(`${hub.url}/api/v1/deployments/${id}`);
    expect(DEPLOYMENT_STATUSES).toContain(result.outputs.RUN_RESULT);

    const record = await hub.hub.engine.get(id);
    expect(record.application).toBe('checkout');
    expect(record.spec.context).toEqual({ team: 'payments', commit: 'abc123', branch: 'main' });
    const names = record.spec.file.manifests.flatMap((m) => m.objects.map((o) => o.metadata?.name)).sort();
    expect(names).toEqual(['app', 'extra', 'more']);

    expect(result.summary).toContain('Ferry deployment of checkout');
    expect(result.summary).toContain(`[${id}](${hub.url}/api/v1/deployments/${id})`);
    expect(result.summary).toContain('(not waited for)');
    // The token is masked on the runner; the client secret is never printed at all.
    expect(result.stdout).toMatch(/^::add-mask::\S+$/m);
    expect(result.stdout + result.stderr + result.summary).not.toContain(hub.clientSecret);
  });

  it('waits for the end, reports the failure in the outputs and the summary, and fails the step', async () => {
    const dir = await workspace({ 'deploy/deploy.yml': DEPLOY_FILE.replace('application: from-file', 'application: waits-for-failure'), ...MANIFESTS });
    const result = await runAction(dir, inputs({ waitForDeployment: 'true' }));

    expect(result.exitCode).toBe(1);
    expect(result.outputs.RUN_RESULT).toBe('FAILED');
    const id = result.outputs.DEPLOYMENT_ID as string;
    expect((await hub.hub.engine.get(id)).state.status).toBe('FAILED');
    expect(result.stdout).toContain(`::error::deployment ${id} ended FAILED`);
    expect(result.stdout).toContain('no target named "unregistered-cluster"');
    expect(result.summary).toContain('❌ Ferry deployment of waits-for-failure: FAILED');
    expect(result.summary).toMatch(/\| dev \| FAILED \| .*unregistered-cluster/);
  });

  it('fails without starting anything when the hub refuses the credentials, never echoing the secret', async () => {
    const dir = await workspace({ 'deploy/deploy.yml': DEPLOY_FILE, ...MANIFESTS });
    const wrongSecret = `${hub.clientSecret.slice(0, -4)}zzzz`;
    const result = await runAction(dir, inputs({ clientSecret: wrongSecret }));

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/::error::the hub refused the client credentials \(HTTP 401\)/);
    expect(result.outputs).toEqual({});
    expect(result.stdout + result.stderr).not.toContain(wrongSecret);
  });

  it('reports an invalid deployment file with the path of the problem', async () => {
    const broken = DEPLOY_FILE.replace('strategy: quick', 'strategy: quik');
    const dir = await workspace({ 'deploy/deploy.yml': broken, ...MANIFESTS });
    const result = await runAction(dir, inputs());

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/::error::POST \/api\/v1\/deployments: HTTP 400: .*targets\.dev\.strategy/);
    expect(result.outputs.DEPLOYMENT_ID).toBeUndefined();
  });

  it('names a missing input and a missing file', async () => {
    const dir = await workspace({ 'deploy/deploy.yml': DEPLOY_FILE });
    const noHub = await runAction(dir, { ...inputs(), hubUrl: '' });
    expect(noHub.exitCode).toBe(1);
    expect(noHub.stdout).toContain('::error::input "hubUrl" is required');

    const noFile = await runAction(dir, inputs({ 'path-to-file': 'missing.yml' }));
    expect(noFile.exitCode).toBe(1);
    expect(noFile.stdout).toMatch(/::error::cannot read the deployment file .*missing\.yml: ENOENT/);
  });
});
