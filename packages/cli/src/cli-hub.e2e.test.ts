import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useTestNamespace } from '@ferry/devcluster/vitest';
import type { DeploymentView } from './backend/types.js';
import { canaryFiles, currentContext, withVersion } from './test-support/deploy-fixture.js';
import { eventually, runFerry, spawnFerry, workspace, type RunningFerry } from './test-support/run-ferry.js';
import { FormBrowser, readForm, startHubForCli, type CliTestHub } from './test-support/hub-harness.js';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'correct horse battery';

/** Hub mode end to end: the same verbs against a real hub (TLS with its local CA, OIDC, REST). */
describe('ferry in hub mode', () => {
  const namespace = useTestNamespace({ prefix: 'cli-hub' });
  let hub: CliTestHub;
  let clientId: string;
  let clientSecret: string;
  let dir: string;
  let cleanup: () => void;
  let env: Record<string, string>;
  const background: RunningFerry[] = [];

  beforeAll(async () => {
    // Tenant default's roles stay as they are (config apply below writes tenant team-a's).
    // Its kubeconfig's contexts are deployment targets of tenant default.
    hub = await startHubForCli({ leaseTtlMs: 3000, pollIntervalMs: 200, bootstrapAdmin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, kubeconfig: await kubeconfigOfCluster() });
    await hub.repositories.roles.put({ tenant: 'default', name: 'cli-admin', grants: [{ type: 'api', resource: 'organization', permission: 'full' }] });
    await hub.repositories.tenants.ensure('team-a');
    const made = await hub.repositories.credentials.create({ tenant: 'default', name: 'cli-e2e', roles: ['cli-admin'] });
    clientId = made.credential.clientId;
    clientSecret = made.clientSecret;
  });
  afterAll(async () => {
    await hub?.close();
  });
  beforeEach(() => {
    const ns = namespace.current;
    ({ dir, cleanup } = workspace(canaryFiles({ account: currentContext(ns.kubeconfigPath), namespace: ns.name })));
    env = {
      HOME: dir,
      FERRY_HUB_URL: hub.url,
      FERRY_CA_FILE: hub.hub.caFile as string,
      FERRY_CLIENT_ID: clientId,
      FERRY_CLIENT_SECRET: clientSecret,
      FERRY_CREDENTIALS_FILE: `${dir}/creds/credentials.json`,
    };
  });
  afterEach(async () => {
    for (const run of background.splice(0)) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
    cleanup();
  });

  const ferry = (args: string[], extra: Record<string, string> = {}) => runFerry(args, { cwd: dir, env: { ...env, ...extra } });
  const status = async (id: string) => {
    const run = await ferry(['deploy', 'status', '-i', id, '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as DeploymentView;
  };
  const start = async (version: string) => {
    withVersion(dir, version);
    const run = await ferry(['deploy', 'start', '-f', 'deploy.yml', '--add-context', `version=${version}`, '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const started = JSON.parse(run.stdout) as { id: string; link: string };
    expect(started.link).toBe(`${hub.url}/api/v1/deployments/${started.id}`);
    return started.id;
  };
  const waitingForApproval = (id: string) => eventually(`deployment ${id} to wait for approval`, async () => ((await status(id)).environments[0]?.approval ? true : undefined));
  const watch = (id: string) => ferry(['deploy', 'status', '-i', id, '--watch', '-o', 'json']);

  it('starts, follows and steers deployments through the REST API', async () => {
    const first = await start('v1');
    const firstEnd = await watch(first);
    expect(firstEnd.code).toBe(0);
    expect(JSON.parse(firstEnd.stdout)).toMatchObject({ id: first, status: 'SUCCEEDED', link: expect.stringContaining(first), environments: [{ name: 'dev', status: 'SUCCEEDED' }] });

    // v2: approval, a conflict, approve, skip the timed pause, follow to the end.
    const second = await start('v2');
    await waitingForApproval(second);
    withVersion(dir, 'v9');
    const conflict = await ferry(['deploy', 'start', '-f', 'deploy.yml', '--add-context', 'version=v9']);
    expect(conflict.code).toBe(3);
    const follower = spawnFerry(['deploy', 'status', '-i', second, '--watch'], { cwd: dir, env });
    background.push(follower);
    const approved = await ferry(['deploy', 'approve', '-i', second, '-o', 'json']);
    expect(approved.stderr).toBe('');
    expect(JSON.parse(approved.stdout)).toEqual({ id: second, action: 'approve', target: 'dev' });
    await eventually('the timed pause', async () => ((await status(second)).steps.some((s) => s.kind === 'pause' && s.status === 'WAITING' && s.wakeAtIso) ? true : undefined));
    expect((await ferry(['deploy', 'skip', '-i', second, '-t', 'dev'])).code).toBe(0);
    const followed = await follower.exited;
    expect(followed.code).toBe(0);
    expect(followed.stdout).toMatch(/dev: approved/);
    expect(followed.stdout).toContain(`deployment ${second} SUCCEEDED`);

    // v3: rejected → rolled back; following it exits 1.
    const third = await start('v3');
    await waitingForApproval(third);
    expect((await ferry(['deploy', 'rollforward', '-i', third, '-t', 'dev'])).code).toBe(3);
    expect((await ferry(['deploy', 'reject', '-i', third, '-t', 'dev'])).code).toBe(0);
    const thirdEnd = await watch(third);
    expect(thirdEnd.code).toBe(1);
    expect(JSON.parse(thirdEnd.stdout)).toMatchObject({ id: third, environments: [{ status: 'ROLLED_BACK' }] });

    // Redeploy v3, roll it back; redeploy again and cancel it.
    const redeployed = await ferry(['deploy', 'redeploy', '-i', third, '-o', 'json']);
    expect(redeployed.code).toBe(0);
    const again = (JSON.parse(redeployed.stdout) as { id: string; link: string }).id;
    expect((await status(again)).redeployOf).toBe(third);
    await waitingForApproval(again);
    expect(JSON.parse((await ferry(['deploy', 'rollback', '-i', again, '-o', 'json'])).stdout)).toEqual({ id: again, action: 'rollback', target: null });
    expect((await watch(again)).code).toBe(1);
    const last = JSON.parse((await ferry(['deploy', 'redeploy', '-i', third, '-o', 'json'])).stdout) as { id: string };
    expect((await ferry(['deploy', 'cancel', '-i', last.id])).code).toBe(0);
    expect(JSON.parse((await watch(last.id)).stdout)).toMatchObject({ status: 'CANCELLED' });

    const list = await ferry(['deploy', 'list', '-o', 'json', '--limit', '3']);
    expect(list.code).toBe(0);
    const { deployments } = JSON.parse(list.stdout) as { deployments: Array<{ id: string; link: string }> };
    expect(deployments.map((d) => d.id)).toEqual([last.id, again, third]);
    expect(deployments[0]!.link).toContain(hub.url);

    // Drop-in credentials of the reference CLI.
    const armory = await ferry(['deploy', 'list', '-o', 'json'], { FERRY_CLIENT_ID: '', FERRY_CLIENT_SECRET: '', ARMORY_CLIENT_ID: clientId, ARMORY_CLIENT_SECRET: clientSecret });
    expect(armory.code).toBe(0);
    const wrong = await ferry(['deploy', 'list'], { FERRY_CLIENT_SECRET: 'not-the-secret' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`the hub refused client ${clientId}`);
    expect(wrong.stderr).not.toContain('not-the-secret');
    const untrusted = await ferry(['deploy', 'list'], { FERRY_CA_FILE: '' });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toContain('--ca-file');
  });

  it('applies and reads roles, lists agents, and logs a person in and out with the device flow', async () => {
    writeFileSync(`${dir}/roles.yaml`, 'roles:\n  - name: Release Manager\n    tenant: team-a\n    grants:\n      - {type: api, resource: deployment, permission: full}\n  - name: Viewer\n    tenant: team-a\n    grants:\n      - {type: api, resource: deployment, permission: read}\n');
    const applied = await ferry(['config', 'apply', '-f', 'roles.yaml', '-o', 'json']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect((JSON.parse(applied.stdout) as { roles: Array<{ name: string }> }).roles.map((r) => r.name)).toEqual(expect.arrayContaining(['Release Manager', 'Viewer']));
    const got = await ferry(['config', 'get']);
    expect(got.code).toBe(0);
    expect((parse(got.stdout) as { roles: Array<{ name: string; grants: unknown[] }> }).roles.find((r) => r.name === 'Release Manager')?.grants).toEqual([{ type: 'api', resource: 'deployment', permission: 'full' }]);
    const agents = await ferry(['agents', 'list', '-o', 'json']);
    expect(agents.code).toBe(0);
    expect(JSON.parse(agents.stdout)).toEqual({ agents: [] });

    // A person: no machine credential, the device flow instead.
    const person = { FERRY_CLIENT_ID: '', FERRY_CLIENT_SECRET: '' };
    const notLoggedIn = await ferry(['deploy', 'list'], person);
    expect(notLoggedIn.code).toBe(1);
    expect(notLoggedIn.stderr).toContain(`not logged in to ${hub.url}`);

    const login = spawnFerry(['login', '-o', 'json'], { cwd: dir, env: { ...env, ...person } });
    background.push(login);
    const prompt = await eventually('the login prompt', async () => /Open (\S+)\nand confirm the code (\S+)/.exec(login.stderr()) ?? undefined);
    const verificationUri = (prompt[1] as string).split('?')[0] as string;
    {
      const browser = new FormBrowser({ baseUrl: hub.url, ca: readFileSync(hub.hub.caFile as string, 'utf8') });
      const inputPage = await browser.open(verificationUri);
      const codeForm = readForm(inputPage.html, /op\.deviceInputForm/, inputPage.url);
      const confirmPage = await browser.open(codeForm.action, { ...codeForm.fields, user_code: prompt[2] as string });
      const confirmForm = readForm(confirmPage.html, /op\.deviceConfirmForm/, confirmPage.url);
      const loginPage = await browser.open(confirmForm.action, confirmForm.fields);
      const loginForm = readForm(loginPage.html, /\/login"/, loginPage.url);
      const done = await browser.open(loginForm.action, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
      expect(done.html).toMatch(/Your device is signed in/);
    }
    const loggedIn = await login.exited;
    expect(loggedIn.code).toBe(0);
    const credentialsFile = `${dir}/creds/credentials.json`;
    expect(JSON.parse(loggedIn.stdout)).toEqual({ hub: hub.url, credentialsFile });
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(credentialsFile, 'utf8')) as { hub: string; accessToken: string; refreshToken: string; expiresAt: number };
    expect(saved).toMatchObject({ hub: hub.url, accessToken: expect.any(String), refreshToken: expect.any(String) });

    // The saved hub and CA are used without FERRY_HUB_URL; an expired token is refreshed and saved.
    writeFileSync(credentialsFile, JSON.stringify({ ...saved, expiresAt: Date.now() - 1000 }), { mode: 0o600 });
    const asPerson = await ferry(['deploy', 'list', '-o', 'json'], { ...person, FERRY_HUB_URL: '', FERRY_CA_FILE: '' });
    expect(asPerson.stderr).toBe('');
    expect(asPerson.code).toBe(0);
    const refreshed = JSON.parse(readFileSync(credentialsFile, 'utf8')) as { accessToken: string; expiresAt: number };
    expect(refreshed.accessToken).not.toBe(saved.accessToken);
    expect(refreshed.expiresAt).toBeGreaterThan(Date.now());

    const logout = await ferry(['logout', '-o', 'json'], person);
    expect(JSON.parse(logout.stdout)).toEqual({ loggedOut: true, credentialsFile });
    expect((await ferry(['deploy', 'list'], person)).code).toBe(1);
  });
});

async function kubeconfigOfCluster(): Promise<string> {
  const { devcluster } = await import('@ferry/devcluster/vitest');
  return devcluster().kubeconfigPath;
}
