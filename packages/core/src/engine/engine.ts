import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'tsyringe';
import type { DeployFile } from '../config/types.js';
import { TOKENS } from '../di/tokens.js';
import { FerryConflictError, FerryInputError, FerryNotFoundError, toFerryError } from '../errors/index.js';
import { buildPlan } from '../plan/build-plan.js';
import type { PlanTargetV1 } from '../plan/types.js';
import { checkTemplateVariables } from '../template/check-template-variables.js';
import type { ClockV1, EngineEventV1, LoggerV1, PlannedStepV1, StepOutcomeV1 } from '../plugins/contracts.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { DEFAULT_TENANT, tenantOf, type DeploymentFilterV1, type DeploymentRecordV1, type DeploymentSummaryV1, type StoreV1 } from '../store/contracts.js';
import { isTerminalDeploymentStatus } from '../store/statuses.js';
import { createRuntime, type DeploymentRuntime } from './deployment-runtime.js';
import type { EngineSettings } from './engine-settings.js';
import type { EngineEvents } from './events.js';
import { initialState } from './initial-state.js';
import { answerCallback, type CallbackInput } from './callbacks.js';
import { DEFAULT_NOTIFICATION_SETTINGS, NotifierDispatch } from './notifier-dispatch.js';
import { PersonActions, type ActionInput } from './person-actions.js';
import { type StepContextFactory } from './step-context-factory.js';
import { advance, applyOutcome, applyRollbackDone, newEffects, type Effects, type TransitionContext } from './transitions.js';
import { type WakeScheduler } from './wake-scheduler.js';

export interface StartOptions {
  /** Merged over the deploy file's `context`. */
  context?: Record<string, string>;
  /** Who starts it, for the record and events. */
  by?: string;
  /** The tenant that owns it (default `default`); the per-application rule holds per tenant. */
  tenant?: string;
}

/**
 * Runs deployments as durable state machines. Every transition goes through
 * `store.update` under this engine's lease; what runs in memory (step runs, timers) can be
 * lost at any moment and is rebuilt from the store by whichever engine claims the lease next.
 */
@injectable()
export class DeploymentEngine {
  private readonly runtimes = new Map<string, DeploymentRuntime>();
  private readonly actions: PersonActions;
  private readonly notifications: NotifierDispatch;
  private pollHandle: unknown;
  private closed = false;
  private inflightWork = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    @inject(TOKENS.Store) private readonly store: StoreV1,
    @inject(TOKENS.Clock) private readonly clock: ClockV1,
    @inject(TOKENS.Logger) private readonly logger: LoggerV1,
    @inject(TOKENS.Registry) private readonly registry: PluginRegistry,
    @inject(TOKENS.Settings) private readonly settings: EngineSettings,
    @inject(TOKENS.WakeScheduler) private readonly scheduler: WakeScheduler,
    @inject(TOKENS.EventBus) readonly events: EngineEvents,
    @inject(TOKENS.StepContextFactory) private readonly contexts: StepContextFactory,
  ) {
    this.actions = new PersonActions(store, clock, (id) => this.poke(id), (e) => this.emit(e));
    this.notifications = new NotifierDispatch(() => registry.notifiers.values(), logger, { ...DEFAULT_NOTIFICATION_SETTINGS, ...settings.notifications }, (work) => this.track(work));
    this.scheduler.listen((id) => {
      const rt = this.runtimes.get(id);
      if (rt) this.pump(rt);
    });
  }

  /** Resumes what this engine may run, then keeps scanning every poll interval. */
  begin(): void {
    this.track(this.poll());
  }

  start(file: DeployFile, options: StartOptions & { redeployOf?: string } = {}): Promise<DeploymentRecordV1> {
    if (this.closed) return Promise.reject(new FerryConflictError('the engine is closed', { code: 'engine_closed' }));
    const work = this.createAndRun(file, options);
    this.track(work.then(
      () => undefined,
      () => undefined,
    ));
    return work;
  }

  private async createAndRun(file: DeployFile, options: StartOptions & { redeployOf?: string }): Promise<DeploymentRecordV1> {
    const context = { ...file.config.context, ...options.context };
    const problems = checkTemplateVariables(file.config, { context }).filter((d) => d.severity === 'error');
    if (problems.length > 0) {
      throw new FerryInputError(`the deployment cannot start: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { code: 'invalid_template', diagnostics: problems });
    }
    const plan = buildPlan(file, this.registry);
    const now = this.clock.now();
    const id = randomUUID();
    const record: DeploymentRecordV1 = {
      id,
      ...(options.tenant !== undefined && options.tenant !== DEFAULT_TENANT ? { tenant: options.tenant } : {}),
      application: file.config.application,
      createdAt: now,
      spec: {
        file,
        context,
        plan,
        ...(options.by !== undefined ? { by: options.by } : {}),
        ...(options.redeployOf !== undefined ? { redeployOf: options.redeployOf } : {}),
      },
      state: initialState(plan, now),
    };
    const created = await this.store.create(record, { ifInProgress: file.config.deploymentConfig.ifDeploymentInProgress.strategy, now });
    for (const supersededId of created.superseded) {
      this.emit(await this.store.appendEvent({ deploymentId: supersededId, type: 'deployment.completed', at: now, data: { status: 'REJECTED', reason: `superseded by deployment ${id}` } }));
    }
    if (created.record.state.status === 'QUEUED') {
      this.emit(await this.store.appendEvent({ deploymentId: id, type: 'deployment.queued', at: now, data: { application: record.application } }));
      return created.record;
    }
    await this.adopt(id);
    return created.record;
  }

  async get(id: string): Promise<DeploymentRecordV1> {
    const record = await this.store.get(id);
    if (!record) throw new FerryNotFoundError(`no deployment ${id}`, { code: 'deployment_not_found' });
    return record;
  }

  list(filter?: DeploymentFilterV1): Promise<DeploymentSummaryV1[]> {
    return this.store.list(filter);
  }

  async listEvents(id: string, options?: { afterSeq?: number; limit?: number }): Promise<EngineEventV1[]> {
    await this.get(id);
    return this.store.listEvents(id, options);
  }

  approve(id: string, input: ActionInput & { target: string; roles?: string[] }): Promise<void> {
    return this.actions.decide(id, input.target, 'approve', input);
  }

  reject(id: string, input: ActionInput & { target: string; roles?: string[] }): Promise<void> {
    return this.actions.decide(id, input.target, 'reject', input);
  }

  skip(id: string, input: ActionInput & { target: string }): Promise<void> {
    return this.actions.skip(id, input.target, input);
  }

  rollback(id: string, input: ActionInput & { target?: string; roles?: string[] }): Promise<void> {
    return this.actions.rollback(id, input);
  }

  rollForward(id: string, input: ActionInput & { target: string; roles?: string[] }): Promise<void> {
    return this.actions.rollForward(id, input.target, input);
  }

  cancel(id: string, input: ActionInput): Promise<void> {
    return this.actions.cancel(id, input);
  }

  /** An external system answers a waiting step (a webhook's callback); the step runs again with `ctx.callback`. */
  callback(id: string, input: CallbackInput): Promise<void> {
    return answerCallback({ store: this.store, clock: this.clock, poke: (d) => this.poke(d), emit: (e) => this.emit(e) }, id, input);
  }

  async redeploy(id: string, input: ActionInput): Promise<DeploymentRecordV1> {
    const past = await this.get(id);
    return this.start(past.spec.file, { context: past.spec.context, by: input.by, redeployOf: id, tenant: tenantOf(past) });
  }

  /** Resolves when no work of this engine is in flight (step runs, transitions, scans). */
  idle(): Promise<void> {
    if (this.inflightWork === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops all work, releases every lease. Steps in flight are aborted; their results are dropped. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.notifications.close();
    if (this.pollHandle !== undefined) this.clock.clearTimeout(this.pollHandle);
    this.scheduler.clear();
    const runtimes = [...this.runtimes.values()];
    this.runtimes.clear();
    for (const rt of runtimes) this.stopRuntime(rt);
    await Promise.all(runtimes.map((rt) => this.store.releaseLease(rt.id, this.settings.owner).catch((error: unknown) => this.logger.warn({ err: error, deploymentId: rt.id }, 'lease release failed'))));
    this.flushIdle(true);
  }

  // --- leases and scanning ---------------------------------------------------------------

  private async poll(): Promise<void> {
    if (this.closed) return;
    try {
      const now = this.clock.now();
      for (const rt of [...this.runtimes.values()]) {
        const held = await this.store.renewLease(rt.id, this.settings.owner, this.settings.leaseTtlMs, now);
        if (!held) this.drop(rt, 'lease lost');
      }
      for (const id of await this.store.listClaimable(now, { owner: this.settings.owner })) {
        if (!this.runtimes.has(id)) await this.adopt(id);
      }
      for (const due of await this.store.listDue(now)) {
        const rt = this.runtimes.get(due.id);
        if (rt) this.pump(rt);
      }
    } catch (error) {
      this.logger.error({ err: error }, 'engine poll failed');
    } finally {
      if (!this.closed) this.pollHandle = this.clock.setTimeout(() => this.track(this.poll()), this.settings.pollIntervalMs);
    }
  }

  /** Claims a deployment's lease and runs it from its persisted state. */
  private async adopt(id: string): Promise<void> {
    if (this.closed || this.runtimes.has(id)) return;
    const claimed = await this.store.claimLease(id, this.settings.owner, this.settings.leaseTtlMs, this.clock.now());
    if (!claimed) return;
    const record = await this.store.get(id);
    if (!record || isTerminalDeploymentStatus(record.state.status) || this.closed || this.runtimes.has(id)) {
      if (record && !this.runtimes.has(id)) await this.store.releaseLease(id, this.settings.owner);
      return;
    }
    const rt = createRuntime(record);
    this.runtimes.set(id, rt);
    this.pump(rt);
  }

  private poke(id: string): void {
    const rt = this.runtimes.get(id);
    if (rt) this.pump(rt);
  }

  // --- the transition loop ---------------------------------------------------------------

  /** Serializes a deployment's transitions: one store.update at a time, batching what piled up. */
  private pump(rt: DeploymentRuntime): void {
    if (rt.closed) return;
    if (rt.pumping) {
      rt.dirty = true;
      return;
    }
    rt.pumping = true;
    this.track(
      (async () => {
        try {
          do {
            rt.dirty = false;
            await this.transition(rt);
          } while (!rt.closed && (rt.dirty || rt.outcomes.length > 0 || rt.rollbacksDone.length > 0));
        } finally {
          rt.pumping = false;
        }
      })(),
    );
  }

  private async transition(rt: DeploymentRuntime): Promise<void> {
    const outcomes = rt.outcomes.splice(0);
    const rollbacksDone = rt.rollbacksDone.splice(0);
    const applying = new Set(outcomes.map((o) => o.stepId));
    let fx: Effects = newEffects();
    const now = this.clock.now();
    const x: TransitionContext = {
      deploymentId: rt.id,
      plan: rt.spec.plan,
      now,
      inflight: (stepId) => rt.inflight.has(stepId) && !applying.has(stepId),
      rollingBack: (target) => rt.rollingBack.has(target),
    };
    let result;
    try {
      result = await this.store.update(
        rt.id,
        (s) => {
          fx = newEffects();
          const before = outcomes.length + rollbacksDone.length === 0 ? JSON.stringify(s) : undefined;
          for (const o of outcomes) applyOutcome(s, x, fx, o.target, o.stepId, o.outcome, o.decided, o.callbackAt);
          for (const r of rollbacksDone) applyRollbackDone(s, x, fx, r.target, r.error);
          if (!isTerminalDeploymentStatus(s.status)) advance(s, x, fx);
          if (before !== undefined && before === JSON.stringify(s)) return { noop: true };
          s.updatedAt = now;
          return { events: fx.events };
        },
        { leaseOwner: this.settings.owner },
      );
    } catch (error) {
      const ferry = toFerryError(error);
      if (ferry.code === 'lease_lost' || ferry.code === 'deployment_not_found') {
        this.drop(rt, ferry.message);
        return;
      }
      // The store failed: keep what is pending and try again shortly.
      this.logger.error({ err: ferry, deploymentId: rt.id }, 'persisting a transition failed; retrying');
      rt.outcomes.unshift(...outcomes);
      rt.rollbacksDone.unshift(...rollbacksDone);
      this.scheduler.set(rt.id, now + Math.min(1000, this.settings.pollIntervalMs));
      return;
    }
    if (rt.closed) return;
    rt.state = result.state;
    for (const o of outcomes) if (rt.inflight.get(o.stepId) === o.controller) rt.inflight.delete(o.stepId);
    for (const r of rollbacksDone) rt.rollingBack.delete(r.target);
    for (const e of result.events) this.emit(e);
    for (const target of fx.abortTargets) this.abortTarget(rt, target);
    for (const launch of fx.launch) this.launchStep(rt, launch.target, launch.stepId);
    for (const target of fx.rollbacks) this.launchRollback(rt, target);
    const state = result.state;
    if (isTerminalDeploymentStatus(state.status)) {
      await this.finish(rt);
      return;
    }
    if (state.wakeAt !== undefined && state.wakeAt > now) this.scheduler.set(rt.id, state.wakeAt);
    else this.scheduler.delete(rt.id);
  }

  private launchStep(rt: DeploymentRuntime, targetName: string, stepId: string): void {
    const pt = rt.targets.get(targetName) as PlanTargetV1;
    const step = findStep(pt, stepId);
    const st = rt.state.targets[targetName]?.steps[stepId];
    if (!st) return;
    const controller = new AbortController();
    rt.inflight.set(stepId, controller);
    const ctx = this.contexts.stepContext(rt, targetName, step, st, controller.signal);
    this.track(
      (async () => {
        let outcome: StepOutcomeV1;
        try {
          const run =
            step.runner === 'strategy'
              ? this.registry.strategy(pt.strategy?.kind ?? '').runStep(ctx)
              : this.registry.stepKind(step.kind).run(ctx);
          outcome = checkOutcome(await run);
        } catch (error) {
          outcome = { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
        }
        if (controller.signal.aborted || rt.closed) {
          if (rt.inflight.get(stepId) === controller) rt.inflight.delete(stepId);
          return;
        }
        rt.outcomes.push({ target: targetName, stepId, outcome, controller, decided: st.decision !== undefined, ...(st.callback ? { callbackAt: st.callback.at } : {}) });
        this.pump(rt);
      })(),
    );
  }

  private launchRollback(rt: DeploymentRuntime, targetName: string): void {
    const pt = rt.targets.get(targetName) as PlanTargetV1;
    if (!pt.strategy || rt.rollingBack.has(targetName)) return;
    rt.rollingBack.add(targetName);
    const strategy = this.registry.strategy(pt.strategy.kind);
    const ctx = this.contexts.rollbackContext(rt, targetName);
    this.track(
      (async () => {
        let error: string | undefined;
        try {
          await strategy.rollback(ctx);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
        if (rt.closed) return;
        rt.rollbacksDone.push({ target: targetName, ...(error !== undefined ? { error } : {}) });
        this.pump(rt);
      })(),
    );
  }

  private abortTarget(rt: DeploymentRuntime, targetName: string): void {
    const prefix = `${targetName}/`;
    for (const [stepId, controller] of rt.inflight) {
      if (!stepId.startsWith(prefix)) continue;
      controller.abort(new FerryConflictError('step aborted', { code: 'aborted' }));
      rt.inflight.delete(stepId);
    }
  }

  private async finish(rt: DeploymentRuntime): Promise<void> {
    this.runtimes.delete(rt.id);
    this.stopRuntime(rt);
    await this.store.releaseLease(rt.id, this.settings.owner);
    // The application's queued request (enqueueOne) starts now.
    const queued = await this.store.list({ tenant: rt.tenant, application: rt.application, status: ['QUEUED'] });
    for (const next of queued) await this.adopt(next.id);
  }

  /** Forgets a deployment without writing: another engine holds it now, or it is gone. */
  private drop(rt: DeploymentRuntime, why: string): void {
    this.logger.warn({ deploymentId: rt.id, why }, 'dropping deployment');
    this.runtimes.delete(rt.id);
    this.stopRuntime(rt);
  }

  private stopRuntime(rt: DeploymentRuntime): void {
    rt.closed = true;
    this.scheduler.delete(rt.id);
    for (const controller of rt.inflight.values()) controller.abort(new FerryConflictError('engine released the deployment', { code: 'aborted' }));
    rt.inflight.clear();
    rt.rollbackSignal.abort();
  }

  // --- events and bookkeeping ------------------------------------------------------------

  private emit(event: EngineEventV1): void {
    (this.events.emit as (type: string, e: EngineEventV1) => boolean)(event.type, event);
    this.events.emit('*', event);
    this.notifications.dispatch(event);
  }

  private track(work: Promise<void>): void {
    this.inflightWork += 1;
    work
      .catch((error: unknown) => this.logger.error({ err: error }, 'engine work failed'))
      .finally(() => {
        this.inflightWork -= 1;
        this.flushIdle(false);
      });
  }

  private flushIdle(force: boolean): void {
    if (!force && this.inflightWork > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function findStep(pt: PlanTargetV1, stepId: string): PlannedStepV1 {
  for (const stage of pt.stages) for (const step of stage.steps) if (step.id === stepId) return step;
  throw new FerryNotFoundError(`no step ${stepId} in target ${pt.name}`);
}

/** A step that waits must say until when or for whom; anything else would hang forever. */
function checkOutcome(outcome: StepOutcomeV1): StepOutcomeV1 {
  if (outcome?.status === 'waiting' && outcome.wakeAt === undefined && !outcome.approval) {
    return { status: 'failed', reason: 'the step returned waiting with neither wakeAt nor approval' };
  }
  if (!outcome || !['succeeded', 'failed', 'waiting'].includes(outcome.status)) {
    return { status: 'failed', reason: `the step returned an invalid outcome: ${JSON.stringify(outcome)}` };
  }
  return outcome;
}
