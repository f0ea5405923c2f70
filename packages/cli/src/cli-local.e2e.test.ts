import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTestNamespace } from '@ferry/devcluster/vitest';
import { canaryFiles, currentContext, withVersion } from './test-support/deploy-fixture.js';
import { eventually, REDRAW, runFerry, spawnFerry, spawnFerryInPty, stripAnsi, workspace, type RunningFerry } from './test-support/run-ferry.js';
import type { DeploymentView } from './backend/types.js';

/**
 * Local mode end to end: no hub, the engine runs inside `ferry deploy start`, state in a
 * SQLite file, clusters by kube context. Other "shells" are other ferry processes on the
 * same state file.
 */
describe('ferry in local mode', () => {
  const namespace = useTestNamespace({ prefix: 'cli-local' });
  let dir: string;
  let cleanup: () => void;
  let env: Record<string, string>;
  const background: RunningFerry[] = [];

  beforeEach(() => {
    const ns = namespace.current;
    ({ dir, cleanup } = workspace(canaryFiles({ account: currentContext(ns.kubeconfigPath), namespace: ns.name })));
    env = { FERRY_STATE_FILE: `${dir}/state/local.db`, KUBECONFIG: ns.kubeconfigPath, HOME: dir };
  });
  afterEach(async () => {
    for (const run of background.splice(0)) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
    cleanup();
  });

  const ferry = (...args: string[]) => runFerry(args, { cwd: dir, env });
  const startInBackground = (...args: string[]) => {
    const run = spawnFerry(args, { cwd: dir, env });
    background.push(run);
    return run;
  };
  const status = async (id: string) => {
    const run = await ferry('deploy', 'status', '-i', id, '-o', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as DeploymentView;
  };
  const idOf = (run: RunningFerry) => eventually('the deployment id', async () => /Deployment ID: (\S+)/.exec(run.stdout())?.[1]);
  const waitingForApproval = (id: string) => eventually(`deployment ${id} to wait for approval`, async () => ((await status(id)).environments[0]?.approval ? true : undefined));

  /** v1 is the first deployment: straight to 100% with no approval. */
  async function firstDeployment(): Promise<string> {
    withVersion(dir, 'v1');
    const run = await ferry('deploy', 'start', '-f', 'deploy.yml', '--add-context', 'version=v1', '-o', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const started = JSON.parse(run.stdout) as { id: string; link: null };
    expect(started).toEqual({ id: expect.any(String), link: null });
    const view = await status(started.id);
    expect(view).toMatchObject({ id: started.id, application: 'shop', status: 'SUCCEEDED', link: null, environments: [{ name: 'dev', status: 'SUCCEEDED', weight: expect.anything() }] });
    return started.id;
  }

  it('runs a deployment in the foreground while other shells read, approve and skip it', async () => {
    const first = await firstDeployment();
    withVersion(dir, 'v2');
    const start = startInBackground('deploy', 'start', '-f', 'deploy.yml', '--add-context', 'version=v2');
    const id = await idOf(start);
    await waitingForApproval(id);

    const waiting = await status(id);
    expect(waiting.environments[0]).toMatchObject({ status: 'AWAITING_APPROVAL', weight: 50, approval: { kind: 'pause', requiresRoles: [] } });
    const text = await ferry('deploy', 'status', '-i', id);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`unblock   ferry deploy approve -i ${id} -t dev`);

    // One deployment per application at a time: exit 3.
    withVersion(dir, 'v3');
    const conflict = await ferry('deploy', 'start', '-f', 'deploy.yml', '--add-context', 'version=v3');
    expect(conflict.code).toBe(3);
    expect(conflict.stderr).toMatch(/in progress/);

    // -t may be left out when one target waits.
    const approved = await ferry('deploy', 'approve', '-i', id, '-m', 'looks good', '-o', 'json');
    expect(approved.stderr).toBe('');
    expect(JSON.parse(approved.stdout)).toEqual({ id, action: 'approve', target: 'dev' });
    expect(approved.code).toBe(0);

    await eventually('the timed pause', async () => ((await status(id)).steps.some((s) => s.kind === 'pause' && s.status === 'WAITING' && s.wakeAtIso) ? true : undefined));
    const skipped = await ferry('deploy', 'skip', '-i', id, '-t', 'dev', '-o', 'yaml');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toBe(`id: ${id}\naction: skip\ntarget: dev\n`);

    const ended = await start.exited;
    expect(ended.code).toBe(0);
    expect(ended.stdout).toContain('Running it in this process until it ends');
    expect(ended.stdout).toMatch(/dev: approved/);
    expect(ended.stdout).toContain(`deployment ${id} SUCCEEDED`);
    expect((await status(id)).status).toBe('SUCCEEDED');

    const list = await ferry('deploy', 'list', '-o', 'json');
    expect(list.code).toBe(0);
    const { deployments } = JSON.parse(list.stdout) as { deployments: Array<{ id: string; status: string; environments: unknown[] }> };
    expect(deployments.map((d) => [d.id, d.status])).toEqual([[id, 'SUCCEEDED'], [first, 'SUCCEEDED']]);
    expect(deployments[0]!.environments).toEqual([{ name: 'dev', status: 'SUCCEEDED' }]);
    const listed = await ferry('deploy', 'list', '--status', 'FAILED');
    expect(listed.stdout).toBe('no deployments\n');
  });

  it('rejects, rolls back, redeploys and cancels from another shell; a failed deployment exits 1', async () => {
    await firstDeployment();

    withVersion(dir, 'v2');
    const rejectedRun = startInBackground('deploy', 'start', '-f', 'deploy.yml', '--add-context', 'version=v2');
    const rejected = await idOf(rejectedRun);
    await waitingForApproval(rejected);
    const reject = await ferry('deploy', 'reject', '-i', rejected, '-t', 'dev');
    expect(reject.code).toBe(0);
    expect(reject.stdout).toContain(`rejected dev of deployment ${rejected}`);
    expect((await rejectedRun.exited).code).toBe(1);
    expect((await status(rejected)).environments[0]!.status).toBe('ROLLED_BACK');

    withVersion(dir, 'v3');
    const rolledRun = startInBackground('deploy', 'start', '-f', 'deploy.yml', '--add-context', 'version=v3');
    const rolled = await idOf(rolledRun);
    await waitingForApproval(rolled);
    // Nothing waits for a roll-forward decision: a conflict.
    const rollforward = await ferry('deploy', 'rollforward', '-i', rolled, '-t', 'dev');
    expect(rollforward.code).toBe(3);
    const rollback = await ferry('deploy', 'rollback', '-i', rolled, '-t', 'dev', '-o', 'json');
    expect(rollback.code).toBe(0);
    expect(JSON.parse(rollback.stdout)).toEqual({ id: rolled, action: 'rollback', target: 'dev' });
    const rolledEnd = await rolledRun.exited;
    expect(rolledEnd.code).toBe(1);
    expect(rolledEnd.stdout).toMatch(/rolled back/);
    expect((await status(rolled)).environments[0]!.status).toBe('ROLLED_BACK');

    // Redeploy v3: like start, it runs in this process, and waits for approval again.
    const redeployRun = startInBackground('deploy', 'redeploy', '-i', rolled, '-o', 'json');
    const again = await eventually('the redeploy id', async () => (redeployRun.stdout().includes('}') ? (JSON.parse(redeployRun.stdout()) as { id: string }).id : undefined));
    expect(again).not.toBe(rolled);
    expect((await status(again)).redeployOf).toBe(rolled);
    await waitingForApproval(again);
    const cancel = await ferry('deploy', 'cancel', '-i', again, '-o', 'json');
    expect(cancel.code).toBe(0);
    expect(JSON.parse(cancel.stdout)).toEqual({ id: again, action: 'cancel', target: null });
    expect((await redeployRun.exited).code).toBe(1);
    expect((await status(again)).status).toBe('CANCELLED');

    const missing = await ferry('deploy', 'status', '-i', 'no-such-id');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no deployment no-such-id');
    const usage = await ferry('deploy', 'approve');
    expect(usage.code).toBe(2);
  });

  it('shows a live view under a terminal that updates as the deployment moves', async () => {
    await firstDeployment();
    withVersion(dir, 'v2');
    const live = spawnFerryInPty(['deploy', 'start', '-f', 'deploy.yml', '--add-context', 'version=v2', '--watch'], { cwd: dir, env });
    background.push(live);
    const id = await eventually('the live view to show the approval', async () => {
      const screen = live.stdout();
      const match = /deploy approve -i (\S+) -t dev/.exec(stripAnsi(screen));
      return match?.[1];
    });
    const before = live.stdout();
    expect(before).not.toBe(stripAnsi(before)); // colour and cursor movement: a terminal
    expect(before).toMatch(REDRAW); // redrawn in place
    expect(before).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏‖]/);
    const plain = stripAnsi(before);
    expect(plain).toMatch(/dev\s+\S+\/\S+\s+AWAITING_APPROVAL\s+█+░+ 50%/);
    expect(plain).toContain('waiting   approval');

    expect((await ferry('deploy', 'approve', '-i', id, '-t', 'dev')).code).toBe(0);
    await eventually('the live view to show the timed pause', async () => (/a pause, \d+m\d*s? left/.test(stripAnsi(live.stdout())) ? true : undefined));
    expect((await ferry('deploy', 'skip', '-i', id, '-t', 'dev')).code).toBe(0);
    const ended = await live.exited;
    expect(ended.code).toBe(0);
    const final = stripAnsi(ended.stdout);
    expect(final).toContain(`deployment ${id} SUCCEEDED`);
    expect(final).toMatch(/✔ dev\s+\S+\/\S+\s+SUCCEEDED/);
  });
});
