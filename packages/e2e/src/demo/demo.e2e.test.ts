import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterStatus, stopCluster } from '@ferry/devcluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The README's demo, run as CI would run it (stdout not a terminal): its own dev cluster
 * `demo`, a hub, an agent, three rounds through the hub's REST API. Asserts the summary it
 * prints and the summary.json it writes beside it.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const ENTRY = join(ROOT, 'examples', 'demo', 'dist', 'main.js');
const WORK_DIR = join(ROOT, '.ferry', 'demo');

interface Split {
  weight: number;
  byVersion: Record<string, number>;
  requests: number;
  failed: number;
}
interface RoundResult {
  round: number;
  version: string;
  status: string;
  targetStatus: string;
  reason?: string;
  splits: Split[];
  requests: number;
  failedRequests: number;
}

let clusterWasRunning = false;
let run: { code: number | null; stdout: string; stderr: string };
let summary: { account: string; results: RoundResult[] };

function runDemo(): Promise<typeof run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    // stdout is a pipe: the demo must pick its one-line-per-event mode by itself.
    const child = spawn(process.execPath, [ENTRY], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const round = (n: number): RoundResult => {
  const found = summary.results.find((r) => r.round === n);
  if (!found) throw new Error(`no round ${n} in summary.json`);
  return found;
};

describe('npm run demo, non-interactively', () => {
  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`build the demo first (${ENTRY} is missing): npx turbo run build --filter=@ferry/example-demo...`);
    clusterWasRunning = (await clusterStatus({ name: 'demo' })).exists;
    rmSync(join(WORK_DIR, 'summary.json'), { force: true });
    run = await runDemo();
    summary = JSON.parse(readFileSync(join(WORK_DIR, 'summary.json'), 'utf8')) as typeof summary;
  });

  afterAll(async () => {
    // Leave the machine as it was: a cluster this test started is stopped again.
    if (!clusterWasRunning) await stopCluster({ name: 'demo' });
  });

  it('exits 0 and prints a summary in which every round ended as meant, without terminal escapes', () => {
    expect(run.code, run.stderr || run.stdout.slice(-3000)).toBe(0);
    expect(run.stdout).toContain('\nSummary\n');
    expect(run.stdout).toContain('Every round ended as expected.');
    expect(run.stdout).toMatch(/round 2: canary v1 → v2 → SUCCEEDED \(target SUCCEEDED\)/);
    expect(run.stdout).toMatch(/round 3: canary v2 → v3 → FAILED \(target ROLLED_BACK\)/);
    // eslint-disable-next-line no-control-regex
    expect(run.stdout).not.toMatch(/\x1b\[/);
  });

  it('reaches the cluster through an agent connected to the hub, whose token never reaches the hub log', () => {
    expect(summary.account).toBe('demo-cluster');
    expect(run.stdout).toContain('agent "demo-cluster" connected to the Agent Hub');
    const config = JSON.parse(readFileSync(join(WORK_DIR, 'agent-kubeconfig'), 'utf8')) as { users: Array<{ user: { token?: string } }> };
    const token = config.users[0]?.user.token ?? '';
    expect(token).toMatch(/^ey/);
    expect(readFileSync(join(WORK_DIR, 'hub.log'), 'utf8')).not.toContain(token);
  });

  it('promotes v2: the observed split followed each weight and no request failed', () => {
    const v2 = round(2);
    expect(v2).toMatchObject({ version: 'v2', status: 'SUCCEEDED', targetStatus: 'SUCCEEDED', failedRequests: 0 });
    expect(v2.splits.map((s) => s.weight)).toEqual([25, 50]);
    for (const split of v2.splits) {
      expect(split.requests).toBeGreaterThan(50);
      expect(split.byVersion.v2).toBeGreaterThan(split.weight - 10);
      expect(split.byVersion.v2).toBeLessThan(split.weight + 10);
    }
  });

  it('rolls v3 back on the analysis of its error rate, after traffic saw it at 25%', () => {
    const v3 = round(3);
    expect(v3).toMatchObject({ version: 'v3', status: 'FAILED', targetStatus: 'ROLLED_BACK' });
    expect(v3.reason).toMatch(/analysis failed/);
    expect(v3.splits.map((s) => s.weight)).toEqual([25]);
    expect(v3.splits[0]?.byVersion.v3).toBeGreaterThan(15);
    expect(v3.splits[0]?.failed).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/errorRate = 0\.\d+ .*high/);
  });
});
