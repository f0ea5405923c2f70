import { describe, expect, it } from 'vitest';
import type { DeploymentView, EnvironmentView, EventView, StepView } from '../backend/types.js';
import { renderFrame } from './frame.js';
import { REDRAW } from '../test-support/run-ferry.js';
import { LiveView } from './live-view.js';
import { applyEvent, initialLiveState } from './model.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function step(id: string, title: string, status: StepView['status'], extra: Partial<StepView> = {}): StepView {
  return { id, environment: 'prod', stage: 'strategy', phase: 'strategy', kind: 'setWeight', title, status, attempt: 1, startedAtIso: null, completedAtIso: null, wakeAtIso: null, reason: null, ...extra };
}

function view(prod: Partial<EnvironmentView>, status: DeploymentView['status'] = 'RUNNING'): DeploymentView {
  const environment = (name: string, more: Partial<EnvironmentView>): EnvironmentView => ({
    name, account: 'kind-prod', namespace: 'shop', dependsOn: [], strategy: 'canary', status: 'SUCCEEDED', reason: null,
    startedAtIso: null, completedAtIso: null, weight: null, approval: null, steps: [], ...more,
  });
  const environments = [environment('staging', {}), environment('prod', prod)];
  return {
    id: 'd-1', application: 'shop', status, reason: null, createdAtIso: new Date(NOW - 65_000).toISOString(), startedAtIso: new Date(NOW - 65_000).toISOString(),
    completedAtIso: null, startedBy: 'me', redeployOf: null, link: null, environments, steps: environments.flatMap((e) => e.steps),
  };
}

const waitingForApproval = view({
  status: 'AWAITING_APPROVAL',
  weight: 25,
  approval: { stepId: 'prod/strategy/1', kind: 'pause', message: 'Approve to continue', requiresRoles: ['Release Manager'], requestedAtIso: new Date(NOW).toISOString(), expiresAtIso: null },
  steps: [step('prod/strategy/0', 'Set weight to 25%', 'SUCCEEDED'), step('prod/strategy/1', 'Wait for approval', 'WAITING', { kind: 'pause' }), step('prod/strategy/2', 'Set weight to 100%', 'PENDING')],
});

const measured: EventView = {
  seq: 7, deploymentId: 'd-1', type: 'analysis.measured', at: NOW, atIso: new Date(NOW).toISOString(), target: 'prod', stepId: 'prod/strategy/1',
  data: { query: 'error-rate', value: 0.0123, upperLimit: 0.05, result: 'pass', run: 2 },
};

describe('live view', () => {
  it('shows targets, weight, current step, analysis against limits, what it waits for and the command to unblock it', () => {
    const state = applyEvent({ ...initialLiveState(waitingForApproval), pods: { prod: [{ version: 'v1', ready: 3, desired: 3 }, { version: 'v2', ready: 0, desired: 1 }] } }, measured);
    const text = renderFrame(state, { color: false, tick: 0, now: NOW }).join('\n');
    expect(text).toContain('shop  d-1  RUNNING  1m05s');
    expect(text).toMatch(/✔ staging\s+kind-prod\/shop\s+SUCCEEDED/);
    expect(text).toMatch(/‖ prod\s+kind-prod\/shop\s+AWAITING_APPROVAL\s+███░░░░░░░ 25%/);
    expect(text).toContain('step      2/3 Wait for approval (waiting)');
    expect(text).toContain('pods      v1 3/3  v2 0/1');
    expect(text).toContain('analysis  error-rate = 0.0123 (limit ≤ 0.05)  ✔ pass  run 2');
    expect(text).toContain('waiting   approval (requires Release Manager): Approve to continue');
    expect(text).toContain('unblock   ferry deploy approve -i d-1 -t prod  or  ferry deploy reject -i d-1 -t prod');
  });

  it('counts a timed pause down and offers skip', () => {
    const paused = view({ status: 'PAUSED', steps: [step('prod/strategy/0', 'Pause for 2 minutes', 'WAITING', { kind: 'pause', wakeAtIso: new Date(NOW + 90_000).toISOString() })] });
    const text = renderFrame(initialLiveState(paused), { color: false, tick: 0, now: NOW }).join('\n');
    expect(text).toContain('waiting   a pause, 1m30s left');
    expect(text).toContain('unblock   ferry deploy skip -i d-1 -t prod');
  });

  it('redraws in place on a terminal and prints one line per event elsewhere', () => {
    const drawn: string[] = [];
    const tty = new LiveView({ write: (t) => drawn.push(t), tty: true, color: true, frameMs: 10_000, now: () => NOW });
    tty.update(waitingForApproval);
    tty.event(measured);
    tty.finish();
    expect(drawn[0]).not.toMatch(REDRAW);
    expect(drawn[0]).toContain('\x1b[1mshop');
    const lines = drawn[0]!.split('\n').length - 1;
    expect(drawn[1]!.startsWith(`\x1b[${lines}F\x1b[0J`)).toBe(true);
    expect(drawn.at(-1)).toContain('error-rate');

    const plain: string[] = [];
    const lines2 = new LiveView({ write: (t) => plain.push(t), tty: false, color: false, now: () => NOW });
    lines2.update(waitingForApproval);
    lines2.event(measured);
    lines2.update(waitingForApproval);
    lines2.finish();
    expect(plain.join('')).toBe(
      'prod: waiting for approval (requires Release Manager): Approve to continue; run: ferry deploy approve -i d-1 -t prod  or  ferry deploy reject -i d-1 -t prod\n' +
        '12:00:00 ≈ prod: error-rate = 0.0123 (limit ≤ 0.05)  ✔ pass  run 2\n',
    );
    expect(plain.join('')).not.toContain('\x1b[');
  });
});
