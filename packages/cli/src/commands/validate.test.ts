import { afterEach, describe, expect, it } from 'vitest';
import { runFerry, workspace } from '../test-support/run-ferry.js';

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
        - name: shop
          image: ferry/sample-app:v2
`;

const VALID = `version: v1
kind: kubernetes
application: shop
targets:
  staging:
    account: dev
    namespace: shop
    strategy: rolling
  prod:
    account: prod
    namespace: shop
    strategy: rolling
    constraints:
      dependsOn: [staging]
      beforeDeployment:
        - pause: {untilApproved: true}
manifests:
  - path: app.yaml
strategies:
  rolling:
    canary:
      steps:
        - setWeight: 25
        - pause: {duration: 30, unit: seconds}
        - setWeight: {weight: 50}
`;

describe('ferry validate', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  function files(deploy: string) {
    const ws = workspace({ 'deploy.yml': deploy, 'app.yaml': MANIFEST });
    cleanup = ws.cleanup;
    return ws.dir;
  }

  it('prints the plan of a valid file and exits 0', async () => {
    const run = await runFerry(['validate', '-f', 'deploy.yml'], { cwd: files(VALID) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✔ valid');
    // Targets in dependency order, with their steps.
    expect(run.stdout.indexOf('staging')).toBeLessThan(run.stdout.indexOf('prod'));
    expect(run.stdout).toMatch(/25%/);
    expect(run.stdout).toMatch(/approv/i);
  });

  it('prints every problem with file:line:col and exits 1', async () => {
    const broken = VALID.replace('strategy: rolling\n  prod', 'strategy: rollin\n  prod').replace('dependsOn: [staging]', 'dependsOn: [stagin]');
    const run = await runFerry(['validate', '-f', 'deploy.yml'], { cwd: files(broken) });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('deploy.yml:8:15 error targets.staging.strategy: unknown strategy "rollin" (did you mean "rolling"?)');
    expect(run.stdout).toContain('deploy.yml:14:19 error targets.prod.constraints.dependsOn[0]: unknown target "stagin" (did you mean "staging"?)');
    expect(run.stdout).toContain('✖ 2 errors');
    expect(run.stdout).not.toContain('prod/strategy');
  });

  it('reports unknown keys as warnings and still exits 0', async () => {
    const run = await runFerry(['validate', '-f', 'deploy.yml'], { cwd: files(VALID.replace('application: shop', 'application: shop\nowner: team-a')) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/deploy\.yml:4:1 warning owner: .*unknown/);
  });

  it('answers in JSON with -o json and from FERRY_OUTPUT', async () => {
    const dir = files(VALID.replace('namespace: shop\n    strategy: rolling\n  prod', 'namespace: shop\n    strategy: nope\n  prod'));
    for (const run of [
      await runFerry(['validate', '-f', 'deploy.yml', '-o', 'json'], { cwd: dir }),
      await runFerry(['validate', '-f', 'deploy.yml'], { cwd: dir, env: { FERRY_OUTPUT: 'json' } }),
    ]) {
      expect(run.code).toBe(1);
      const body = JSON.parse(run.stdout) as { valid: boolean; errors: Array<Record<string, unknown>>; plan: unknown };
      expect(body.valid).toBe(false);
      expect(body.plan).toBeNull();
      expect(body.errors[0]).toMatchObject({ severity: 'error', path: 'targets.staging.strategy', line: 8, column: 15 });
    }
  });

  it('exits 2 on a usage error and 1 on a missing file', async () => {
    const dir = files(VALID);
    const usage = await runFerry(['validate'], { cwd: dir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("required option '-f, --file <path>' not specified");
    const badFormat = await runFerry(['validate', '-f', 'deploy.yml', '-o', 'xml'], { cwd: dir });
    expect(badFormat.code).toBe(2);
    const missing = await runFerry(['validate', '-f', 'nope.yml'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stdout + missing.stderr).toContain('nope.yml');
  });

  it('prints its version', async () => {
    const dir = files(VALID);
    const run = await runFerry(['--version'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const json = await runFerry(['version', '-o', 'json'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toEqual({ version: run.stdout.trim() });
  });
});
