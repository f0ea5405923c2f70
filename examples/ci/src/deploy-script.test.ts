import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace } from './run-action.js';
import { startCiHub, type CiTestHub } from './test-hub.js';

/** examples/ci/deploy.sh driving the built `ferry` CLI (packages/cli) against a real hub. */
const HERE = dirname(fileURLToPath(import.meta.url));
const SCRIPT = join(HERE, '..', 'deploy.sh');
const FERRY = `${process.execPath} ${join(HERE, '..', '..', '..', 'packages', 'cli', 'dist', 'bin.js')}`;

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

function deployScript(cwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('sh', [SCRIPT, ...args], {
    cwd,
    env: {
      PATH: process.env.PATH,
      FERRY_BIN: FERRY,
      FERRY_HUB_URL: hub.url,
      FERRY_CLIENT_ID: hub.clientId,
      FERRY_CLIENT_SECRET: hub.clientSecret,
      FERRY_CA_FILE: hub.caFile,
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

const FILE = `version: v1
kind: kubernetes
application: shell-ci
targets:
  dev: {account: unregistered-cluster, namespace: shop, strategy: quick}
strategies:
  quick: {canary: {steps: [{setWeight: 50}]}}
manifests:
  - path: app.yaml
`;
const APP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {a: b}\n';

describe('examples/ci/deploy.sh', () => {
  it('refuses a context argument that is not key=value with the usage exit code', async () => {
    const ws = await makeWorkspace({ 'deploy.yml': FILE, 'app.yaml': APP });
    workspaces.push(ws);
    const result = await deployScript(ws.dir, ['deploy.yml', 'not-a-pair']);
    expect(result.code).toBe(2);
    expect(result.output).toContain('"not-a-pair" is not key=value');
  });

  it('stops at validation when the file is invalid', async () => {
    const ws = await makeWorkspace({ 'deploy.yml': FILE.replace('strategy: quick', 'strategy: quik'), 'app.yaml': APP });
    workspaces.push(ws);
    const result = await deployScript(ws.dir, ['deploy.yml']);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/deploy\.yml:\d+:\d+/);
    expect(result.output).toContain('quik');
  });

  it('starts the deployment on the hub, watches it and exits 1 when it fails', async () => {
    const ws = await makeWorkspace({ 'deploy.yml': FILE, 'app.yaml': APP });
    workspaces.push(ws);
    const result = await deployScript(ws.dir, ['deploy.yml', 'commit=abc123']);
    expect(result.output).toContain('did not succeed (exit 1)');
    expect(result.code).toBe(1);
    const [summary] = await hub.hub.engine.list({ application: 'shell-ci' });
    expect(summary?.state.status).toBe('FAILED');
    const record = await hub.hub.engine.get(summary?.id as string);
    expect(record.spec.context).toEqual({ commit: 'abc123' });
  });
});
