import { randomUUID } from 'node:crypto';
import type { DeployFile } from '../config/types.js';
import { createEngineContainer } from '../di/container.js';
import { TOKENS } from '../di/tokens.js';
import { FerryInputError } from '../errors/index.js';
import type { ClockV1, EngineEventV1, LoggerV1 } from '../plugins/contracts.js';
import type { FerryPluginV1 } from '../plugins/define-plugin.js';
import { createPluginRegistry } from '../plugins/create-registry.js';
import type { DeploymentFilterV1, DeploymentRecordV1, DeploymentSummaryV1, StoreV1 } from '../store/contracts.js';
import { DeploymentEngine, type StartOptions } from './engine.js';
import type { EngineSettings } from './engine-settings.js';
import { createEngineEvents, type EngineEvents } from './events.js';
import type { CallbackInput } from './callbacks.js';
import type { NotificationSettings } from './notifier-dispatch.js';
import type { ActionInput } from './person-actions.js';
import { silentLogger } from './silent-logger.js';
import { StepContextFactory } from './step-context-factory.js';
import { systemClock } from './system-clock.js';
import { WakeScheduler } from './wake-scheduler.js';

export interface CreateEngineOptions {
  store: StoreV1;
  plugins?: FerryPluginV1[];
  clock?: ClockV1;
  logger?: LoggerV1;
  /** Lease owner name; engines restarting under the same name resume their deployments at once. Default: random. */
  owner?: string;
  /** Default 30 s. */
  leaseTtlMs?: number;
  /** Lease renewal and store scans. Default: a third of the lease TTL. */
  pollIntervalMs?: number;
  /** Resolves `{{secrets.NAME}}` for plugins (the hub's secret store, environment variables...). */
  secrets?: EngineSettings['secrets'];
  /** Per-deployment metric providers looked up before the registry's (a hub's per-tenant integrations). */
  resolveMetricProvider?: EngineSettings['resolveMetricProvider'];
  /** Notifier deliveries: attempts per event (default 3), first backoff (1 s, doubling), per-attempt timeout (10 s). */
  notifications?: Partial<NotificationSettings>;
}

/** The embeddable engine. */
export interface FerryEngine {
  /** This engine's lease owner name. */
  readonly owner: string;
  readonly events: EngineEvents;
  start(file: DeployFile, options?: StartOptions): Promise<DeploymentRecordV1>;
  get(id: string): Promise<DeploymentRecordV1>;
  list(filter?: DeploymentFilterV1): Promise<DeploymentSummaryV1[]>;
  listEvents(id: string, options?: { afterSeq?: number; limit?: number }): Promise<EngineEventV1[]>;
  approve(id: string, input: ActionInput & { target: string; roles?: string[] }): Promise<void>;
  reject(id: string, input: ActionInput & { target: string; roles?: string[] }): Promise<void>;
  skip(id: string, input: ActionInput & { target: string }): Promise<void>;
  rollback(id: string, input: ActionInput & { target?: string; roles?: string[] }): Promise<void>;
  rollForward(id: string, input: ActionInput & { target: string; roles?: string[] }): Promise<void>;
  cancel(id: string, input: ActionInput): Promise<void>;
  redeploy(id: string, input: ActionInput): Promise<DeploymentRecordV1>;
  /**
   * An external system answers a step waiting for it (a webhook's callback). Checks the
   * step's callback token in constant time. Throws FerryNotFoundError (no deployment or
   * step), FerryForbiddenError (wrong token), FerryConflictError (the step is not waiting,
   * or was already answered), FerryInputError (bad body).
   */
  callback(id: string, input: CallbackInput): Promise<void>;
  /** Resolves when nothing is in flight: for tests and graceful shutdowns. */
  idle(): Promise<void>;
  /** Releases every lease and disposes the engine's container. */
  close(): Promise<void>;
}

/**
 * Creates an engine with its own DI child container and plugin registry, and starts
 * resuming the deployments it may claim in the store.
 */
export function createEngine(options: CreateEngineOptions): FerryEngine {
  if (!options?.store || options.store.specificationVersion !== 'v1') {
    throw new FerryInputError('createEngine needs a v1 store', { code: 'invalid_engine_options' });
  }
  const leaseTtlMs = options.leaseTtlMs ?? 30_000;
  if (!(leaseTtlMs > 0)) throw new FerryInputError('leaseTtlMs must be positive', { code: 'invalid_engine_options' });
  const logger = options.logger ?? silentLogger;
  const settings: EngineSettings = {
    owner: options.owner ?? `engine-${randomUUID()}`,
    leaseTtlMs,
    pollIntervalMs: options.pollIntervalMs ?? Math.max(1, Math.floor(leaseTtlMs / 3)),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.notifications ? { notifications: options.notifications } : {}),
    ...(options.resolveMetricProvider ? { resolveMetricProvider: options.resolveMetricProvider } : {}),
  };
  const registry = createPluginRegistry(options.plugins ?? [], logger);

  const container = createEngineContainer();
  container.register(TOKENS.Store, { useValue: options.store });
  container.register(TOKENS.Clock, { useValue: options.clock ?? systemClock });
  container.register(TOKENS.Logger, { useValue: logger });
  container.register(TOKENS.Registry, { useValue: registry });
  container.register(TOKENS.Settings, { useValue: settings });
  container.register(TOKENS.EventBus, { useValue: createEngineEvents() });
  container.registerSingleton(TOKENS.WakeScheduler, WakeScheduler);
  container.registerSingleton(TOKENS.StepContextFactory, StepContextFactory);
  const engine = container.resolve(DeploymentEngine);
  engine.begin();

  return {
    owner: settings.owner,
    events: engine.events,
    start: (file, startOptions) => engine.start(file, startOptions),
    get: (id) => engine.get(id),
    list: (filter) => engine.list(filter),
    listEvents: (id, eventOptions) => engine.listEvents(id, eventOptions),
    approve: (id, input) => engine.approve(id, input),
    reject: (id, input) => engine.reject(id, input),
    skip: (id, input) => engine.skip(id, input),
    rollback: (id, input) => engine.rollback(id, input),
    rollForward: (id, input) => engine.rollForward(id, input),
    cancel: (id, input) => engine.cancel(id, input),
    redeploy: (id, input) => engine.redeploy(id, input),
    callback: (id, input) => engine.callback(id, input),
    idle: () => engine.idle(),
    async close() {
      await engine.close();
      engine.events.removeAllListeners();
      await container.dispose();
    },
  };
}
