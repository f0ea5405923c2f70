import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, eventually, runFerry, spawnFerry, workspace } from '../test-support/run-ferry.js';

/** The verbs that need no cluster: usage, local state without deployments, errors that name the fix. */
describe('ferry verbs without a cluster', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());
  function dir(files: Record<string, string> = {}) {
    const ws = workspace(files);
    cleanup = ws.cleanup;
    return ws.dir;
  }

  it('reads an empty local state and names what is missing', async () => {
    const cwd = dir();
    const env = { HOME: cwd, FERRY_STATE_FILE: `${cwd}/state.db` };
    const list = await runFerry(['deploy', 'list', '-o', 'json'], { cwd, env });
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout)).toEqual({ deployments: [] });
    expect(list.code).toBe(0);
    const missing = await runFerry(['deploy', 'status', '-i', 'nope'], { cwd, env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: no deployment nope in ${cwd}/state.db\n`);
    // The reference CLI's spelling of the flag.
    const armory = await runFerry(['deploy', 'status', '--deploymentID', 'nope'], { cwd, env });
    expect(armory.stderr).toContain('no deployment nope');
    const noId = await runFerry(['deploy', 'cancel'], { cwd, env });
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain("required option '-i, --deploymentId <id>' not specified");
    const fromEnv = await runFerry(['deploy', 'cancel'], { cwd, env: { ...env, FERRY_DEPLOYMENT_ID: 'gone' } });
    expect(fromEnv.stderr).toContain('no deployment gone');
    expect((await runFerry(['deploy', 'list', '--limit', 'zero'], { cwd, env })).code).toBe(2);
    expect((await runFerry(['deploy', 'start', '-f', 'deploy.yml', '--add-context', 'novalue'], { cwd, env })).code).toBe(2);
  });

  it('prints every problem of an invalid deployment file before starting anything', async () => {
    const cwd = dir({ 'deploy.yml': 'version: v1\nkind: kubernetes\napplication: shop\ntargets:\n  dev:\n    account: a\n    namespace: n\n    strategy: nope\nmanifests:\n  - path: missing/\n' });
    const run = await runFerry(['deploy', 'start', '-f', 'deploy.yml'], { cwd, env: { HOME: cwd, FERRY_STATE_FILE: `${cwd}/s.db` } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/deploy\.yml:8:15 error targets\.dev\.strategy: unknown strategy "nope"/);
    expect(run.stderr).toContain('✖');
  });

  it('says when a verb needs a hub, and when the hub cannot be reached', async () => {
    const cwd = dir({ 'roles.yaml': 'roles: []\n', 'deploy.yml': 'version: v1\n' });
    const env = { HOME: cwd };
    for (const args of [['config', 'get'], ['config', 'apply', '-f', 'roles.yaml'], ['agents', 'list']]) {
      const run = await runFerry(args, { cwd, env });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/needs a hub: pass --hub URL, set FERRY_HUB_URL, or run ferry login --hub URL/);
    }
    const unreachable = await runFerry(['deploy', 'list'], { cwd, env: { ...env, FERRY_HUB_URL: 'https://127.0.0.1:1', FERRY_CLIENT_ID: 'a', FERRY_CLIENT_SECRET: 'b' } });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach the hub at https://127.0.0.1:1');
    const halfCredential = await runFerry(['deploy', 'list'], { cwd, env: { ...env, FERRY_HUB_URL: 'https://127.0.0.1:1', ARMORY_CLIENT_ID: 'a' } });
    expect(halfCredential.stderr).toContain('needs both a client id and a client secret');
    const noHubLogin = await runFerry(['login'], { cwd, env });
    expect(noHubLogin.code).toBe(1);
    expect(noHubLogin.stderr).toContain('which hub?');
    const logout = await runFerry(['logout', '-o', 'json'], { cwd, env });
    expect(JSON.parse(logout.stdout)).toEqual({ loggedOut: false, credentialsFile: `${cwd}/.ferry/credentials.json` });
  });

  it('completes commands and flags in bash, and prints zsh and fish scripts', async () => {
    const cwd = dir();
    const script = (await runFerry(['completion', 'bash'], { cwd })).stdout;
    const complete = (words: string[]) =>
      execFileSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ferry_complete; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).trim();
    expect(complete(['ferry', 'dep'])).toBe('deploy');
    expect(complete(['ferry', 'deploy', 'r']).split(' ').sort()).toEqual(['redeploy', 'reject', 'rollback', 'rollforward']);
    expect(complete(['ferry', 'deploy', 'start', '-f', 'deploy.yml', '--wa'])).toBe('--watch');
    const zsh = await runFerry(['completion', 'zsh'], { cwd });
    expect(zsh.stdout).toMatch(/^#compdef ferry/);
    const fish = await runFerry(['completion', 'fish'], { cwd });
    expect(fish.stdout).toContain("complete -c ferry -n '__fish_seen_subcommand_from deploy' -a approve");
    expect((await runFerry(['completion', 'tcsh'], { cwd })).code).toBe(2);
  });

  it('runs the hub until SIGTERM, and tells how to trust it', async () => {
    const cwd = dir();
    const hub = spawnFerry(['hub', '--data-dir', `${cwd}/hub`, '--port', '0', '--log-level', 'silent'], { cwd, env: { HOME: cwd } });
    try {
      const url = await eventually('the hub to listen', async () => /listening at (\S+)/.exec(hub.stderr())?.[1], 60_000, 200);
      const caFile = await eventually('the CA line', async () => /trust its CA: (\S+)/.exec(hub.stderr())?.[1], 5000, 100);
      expect(caFile).toBe(`${cwd}/hub/tls/ca.pem`);
      expect(existsSync(caFile)).toBe(true);
      const discovery = execFileSync(process.execPath, ['-e', `
        const https = require('node:https');
        https.get(${JSON.stringify(`${url}/oidc/.well-known/openid-configuration`)}, { ca: require('node:fs').readFileSync(${JSON.stringify(caFile)}) }, (r) => { let b = ''; r.on('data', (c) => b += c); r.on('end', () => process.stdout.write(b)); });
      `], { encoding: 'utf8' });
      expect(JSON.parse(discovery)).toMatchObject({ issuer: `${url}/oidc`, device_authorization_endpoint: expect.stringContaining('/oidc/') });
      hub.child.kill('SIGTERM');
      const ended = await hub.exited;
      expect(ended.code).toBe(0);
      expect(ended.stderr).toContain('stopping');
    } finally {
      hub.child.kill('SIGKILL');
    }
    const help = await runFerry(['hub', '--help'], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: ferry hub');
    const bad = await runFerry(['hub', '--port', 'many'], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--port');
  }, 90_000);

  it('runs the agent package, and prints what agent create would install on a dry run', async () => {
    const cwd = dir();
    const agent = await runFerry(['agent'], { cwd, env: { HOME: cwd } });
    expect(agent.code).toBe(1);
    expect(agent.stdout + agent.stderr).toMatch(/identifier/i);
    const create = await runFerry(['agent', 'create', '--hub', 'https://127.0.0.1:1', '--client-id', 'a', '--client-secret', 'b', '--dry-run'], { cwd, env: { HOME: cwd } });
    expect(create.code).toBe(0);
    for (const kind of ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Secret', 'Deployment']) expect(create.stdout).toContain(`kind: ${kind}\n`);
    expect(create.stdout).toContain('FERRY_ISSUER');
    // The dry run never prints a client secret.
    expect(create.stdout).not.toMatch(/clientSecret: b\b/);
  });

  it('prints help with the exit codes, and its version', async () => {
    const cwd = dir();
    const help = await runFerry(['--help'], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 success, 1 error or failed deployment, 2 usage, 3 conflict');
    const yaml = await runFerry(['version', '-o', 'yaml'], { cwd });
    expect(yaml.stdout).toBe(`version: ${(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version}\n`);
    expect((await runFerry(['nope'], { cwd })).code).toBe(2);
    expect(BIN).toMatch(/dist\/bin\.js$/);
  });
});
