import { describe, expect, it } from 'vitest';
import type { AnalysisStep, StepConfig } from '../config/types.js';
import { analysisStep, driveToEnd, testDeployFile, testQuery, testTarget } from '../testing/index.js';
import { createHarness } from './engine-harness.test-support.js';

const canary = (steps: StepConfig[]) => ({ c: { kind: 'canary' as const, name: 'c', steps } });

function fileWith(step: Partial<AnalysisStep>, queries = ['errors']) {
  return testDeployFile({
    targets: { prod: testTarget('prod', { strategy: 'c' }) },
    strategies: canary([{ kind: 'setWeight', weight: 20 }, analysisStep({ queries, ...step })]),
    analysis: { defaultMetricProviderName: 'prom', queries: Object.fromEntries(queries.map((q) => [q, testQuery(q, { lowerLimit: 0, upperLimit: 10 })])) },
  });
}

describe('engine: the analysis step', () => {
  it('judges one window per interval (growing lookback), records every measurement as an event, then passes', async () => {
    const h = createHarness({ metric: (_q, i) => [3, 5, 7][i] ?? null });
    const d = await h.engine.start(fileWith({ numberOfJudgmentRuns: 3, interval: { duration: 60, unit: 'seconds', ms: 60_000 } }));
    const end = await driveToEnd(h.engine, h.clock, d.id);
    expect(end.state.status).toBe('SUCCEEDED');
    const t0 = end.state.targets['prod']?.steps['prod/strategy/2']?.startedAt ?? 0;
    expect(h.metrics.queries.map((q) => [q.window.start - t0, q.window.end - t0])).toEqual([
      [0, 60_000],
      [0, 120_000],
      [0, 180_000],
    ]);
    expect(h.metrics.queries[0]?.query).toBe('errors{rs="app-canary",app="app"}[60s]');
    const measured = (await h.engine.listEvents(d.id)).filter((e) => e.type === 'analysis.measured');
    expect(measured.map((e) => [e.data['run'], e.data['value'], e.data['result'], e.data['verdict']])).toEqual([
      [1, 3, 'pass', 'pass'],
      [2, 5, 'pass', 'pass'],
      [3, 7, 'pass', 'pass'],
    ]);
    expect(measured[0]?.data).toMatchObject({ query: 'errors', rendered: 'errors{rs="app-canary",app="app"}[60s]', lowerLimit: 0, upperLimit: 10, windowStart: t0, windowEnd: t0 + 60_000 });
    expect(measured[0]?.stepId).toBe('prod/strategy/2');
    await h.engine.close();
  });

  it('uses sliding windows, and averages the runs for the final verdict', async () => {
    // 4 then 14: the second window alone fails (over 10), but their average (9) passes.
    const h = createHarness({ metric: (_q, i) => [4, 14][i] ?? null });
    const d = await h.engine.start(fileWith({ numberOfJudgmentRuns: 2, lookbackMethod: 'sliding' }));
    const end = await driveToEnd(h.engine, h.clock, d.id);
    const t0 = end.state.targets['prod']?.steps['prod/strategy/2']?.startedAt ?? 0;
    expect(h.metrics.queries.map((q) => q.window.start - t0)).toEqual([0, 60_000]);
    expect(end.state.status).toBe('SUCCEEDED');
    const measured = (await h.engine.listEvents(d.id)).filter((e) => e.type === 'analysis.measured');
    expect(measured.map((e) => e.data['verdict'])).toEqual(['pass', 'fail']);
    await h.engine.close();
  });

  it('fails and rolls back automatically when the averaged values fail', async () => {
    const h = createHarness({ metric: (_q, i) => [4, 20][i] ?? null });
    const d = await h.engine.start(fileWith({ numberOfJudgmentRuns: 2 }));
    const end = await driveToEnd(h.engine, h.clock, d.id);
    expect(end.state.targets['prod']?.status).toBe('ROLLED_BACK');
    expect(end.state.targets['prod']?.reason).toBe('step prod/strategy/2 failed: analysis failed after 2 judgment run(s)');
    await h.engine.close();
  });

  it('stops at the first failed run with abortOnFailedJudgment', async () => {
    const h = createHarness({ metric: () => 50 });
    const d = await h.engine.start(fileWith({ numberOfJudgmentRuns: 5, abortOnFailedJudgment: true }));
    const end = await driveToEnd(h.engine, h.clock, d.id);
    expect(end.state.targets['prod']?.status).toBe('ROLLED_BACK');
    expect(h.metrics.queries).toHaveLength(1);
    await h.engine.close();
  });

  it('waits for a person in manual rollBack mode; rollback() answers it', async () => {
    const h = createHarness({ metric: () => 50 });
    const d = await h.engine.start(fileWith({ rollBackMode: 'manual' }));
    await h.engine.idle();
    h.clock.advance(60_000);
    await h.engine.idle();
    const waiting = await h.engine.get(d.id);
    expect(waiting.state.status).toBe('AWAITING_APPROVAL');
    expect(waiting.state.targets['prod']?.steps['prod/strategy/2']?.approval?.kind).toBe('rollBack');
    await h.engine.rollback(d.id, { target: 'prod', by: 'ops' });
    await h.engine.idle();
    const end = await h.engine.get(d.id);
    expect(end.state.targets['prod']).toMatchObject({ status: 'ROLLED_BACK', reason: 'step prod/strategy/2 failed: analysis: rolled back by ops' });
    await h.engine.close();
  });

  it('waits for a person in manual rollForward mode; rollForward() continues', async () => {
    const h = createHarness({ metric: () => 1 });
    const d = await h.engine.start(fileWith({ rollForwardMode: 'manual' }));
    await h.engine.idle();
    h.clock.advance(60_000);
    await h.engine.idle();
    await expect(h.engine.skip(d.id, { target: 'prod', by: 'ops' })).rejects.toMatchObject({ code: 'nothing_pending' });
    await h.engine.rollForward(d.id, { target: 'prod', by: 'ops' });
    await h.engine.idle();
    expect((await h.engine.get(d.id)).state.status).toBe('SUCCEEDED');
    await h.engine.close();
  });

  it('treats no data as configured: fail, pass, or pause for a person', async () => {
    for (const [noData, expected] of [
      ['fail', 'ROLLED_BACK'],
      ['pass', 'SUCCEEDED'],
    ] as const) {
      const h = createHarness({ metric: () => null });
      const d = await h.engine.start(fileWith({ noData }));
      const end = await driveToEnd(h.engine, h.clock, d.id);
      expect(end.state.targets['prod']?.status).toBe(expected);
      await h.engine.close();
    }
    const h = createHarness({ metric: () => null });
    const d = await h.engine.start(fileWith({ noData: 'pause' }));
    await h.engine.idle();
    h.clock.advance(60_000);
    await h.engine.idle();
    expect((await h.engine.get(d.id)).state.targets['prod']?.steps['prod/strategy/2']?.approval?.kind).toBe('rollForward');
    await h.engine.approve(d.id, { target: 'prod', by: 'ops' });
    await h.engine.idle();
    expect((await h.engine.get(d.id)).state.status).toBe('SUCCEEDED');
    await h.engine.close();
  });

  it('refuses to start when a query names an unknown template variable or an undefined context value', async () => {
    const h = createHarness();
    const unknown = fileWith({});
    unknown.config.analysis.queries['errors'] = testQuery('errors', { queryTemplate: 'x{a="{{armory.nope}}"}' });
    await expect(h.engine.start(unknown)).rejects.toMatchObject({ code: 'invalid_template', diagnostics: [{ path: 'analysis.queries[0].queryTemplate' }] });
    const needsContext = fileWith({});
    needsContext.config.analysis.queries['errors'] = testQuery('errors', { queryTemplate: 'x{team="{{context.team}}"}' });
    await expect(h.engine.start(needsContext)).rejects.toMatchObject({ code: 'invalid_template' });
    const d = await h.engine.start(needsContext, { context: { team: 'payments' } });
    await driveToEnd(h.engine, h.clock, d.id);
    expect(h.metrics.queries.map((q) => q.query)).toEqual(['x{team="payments"}']);
    await h.engine.close();
  });
});
