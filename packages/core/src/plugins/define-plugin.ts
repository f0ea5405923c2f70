import { FerryInputError } from '../errors/index.js';
import type {
  ClusterConnectorV1,
  JudgeV1,
  LoggerV1,
  MetricProviderV1,
  NotifierV1,
  SpecificationVersion,
  StepKindV1,
  StrategyV1,
  TrafficProviderV1,
} from './contracts.js';

/** One kind of contribution a plugin can add, e.g. `ctx.strategies.add(canary)`. */
export interface ContributionSlotV1<T> {
  add(item: T): void;
}

/** What a plugin's `register` receives: one slot per contract, plus a logger named after it. */
export interface PluginContextV1 {
  strategies: ContributionSlotV1<StrategyV1>;
  stepKinds: ContributionSlotV1<StepKindV1>;
  trafficProviders: ContributionSlotV1<TrafficProviderV1>;
  metricProviders: ContributionSlotV1<MetricProviderV1>;
  judges: ContributionSlotV1<JudgeV1>;
  clusterConnectors: ContributionSlotV1<ClusterConnectorV1>;
  notifiers: ContributionSlotV1<NotifierV1>;
  logger: LoggerV1;
}

export interface FerryPluginV1 {
  specificationVersion: SpecificationVersion;
  /** Unique among the plugins of one engine, e.g. `metrics.prom` or `acme.canary`. */
  id: string;
  register(ctx: PluginContextV1): void;
}

/** Declares a plugin: a plain object, no base class or decorator. */
export function definePlugin(definition: { id: string; register(ctx: PluginContextV1): void }): FerryPluginV1 {
  if (typeof definition.id !== 'string' || definition.id.trim() === '') {
    throw new FerryInputError('a plugin needs a non-empty id', { code: 'invalid_plugin' });
  }
  if (typeof definition.register !== 'function') {
    throw new FerryInputError(`plugin "${definition.id}" has no register function`, { code: 'invalid_plugin' });
  }
  return { specificationVersion: 'v1', id: definition.id, register: definition.register };
}
