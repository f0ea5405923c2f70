import { describe, expect, it } from 'vitest';
import { createHarness } from '../engine/engine-harness.test-support.js';
import { approvalPause, testDeployFile, testTarget } from '../testing/index.js';
import { deploymentStatusView, deploymentSummaryView, eventView } from './deployment-status-view.js';

describe('status views', () => {
  it('joins the plan with the state: environments in plan order, the step waiting, its approval and the weight', async () => {
    const h = createHarness();
    const file = testDeployFile({
      targets: { prod: testTarget('prod', { strategy: 'c' }) },
      strategies: { c: { kind: 'canary', name: 'c', steps: [{ kind: 'setWeight', weight: 25 }, approvalPause()] } },
    });
    const started = await h.engine.start(file, { by: 'ci' });
    await h.engine.idle();
    const record = await h.engine.get(started.id);

    const view = deploymentStatusView(record, 'https://hub.test/d/1');
    expect(view).toMatchObject({ id: started.id, application: 'app', status: 'AWAITING_APPROVAL', startedBy: 'ci', link: 'https://hub.test/d/1', completedAtIso: null });
    expect(view.environments.map((e) => [e.name, e.status, e.weight])).toEqual([['prod', 'AWAITING_APPROVAL', 25]]);
    expect(view.environments[0]?.approval).toMatchObject({ kind: 'pause', requiresRoles: [], expiresAtIso: null });
    expect(view.steps.map((s) => s.status)).toContain('WAITING');
    expect(view.steps.every((s) => s.environment === 'prod')).toBe(true);
    expect(deploymentStatusView(record).link).toBeNull();

    const [summary] = await h.engine.list();
    expect(deploymentSummaryView(summary!)).toMatchObject({ id: started.id, link: null, environments: [{ name: 'prod', status: 'AWAITING_APPROVAL' }] });
    const [first] = await h.engine.listEvents(started.id);
    expect(eventView(first!)).toMatchObject({ seq: 1, deploymentId: started.id, target: first!.target ?? null, atIso: new Date(first!.at).toISOString() });
    await h.engine.close();
  });
});
