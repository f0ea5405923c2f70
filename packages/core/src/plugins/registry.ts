import { FerryInputError, FerryNotFoundError } from '../errors/index.js';
import type {
  ClusterConnectorV1,
  JudgeV1,
  LoggerV1,
  MetricProviderV1,
  NotifierV1,
  StepKindV1,
  StrategyV1,
  TrafficProviderV1,
} from './contracts.js';
import type { ContributionSlotV1, FerryPluginV1, PluginContextV1 } from './define-plugin.js';

interface Entry<T> {
  item: T;
  pluginId: string;
}

/** A keyed table of one contribution kind; a second entry under the same key is an error. */
class Table<T extends { specificationVersion: string }> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly what: string,
    private readonly keyOf: (item: T) => string,
  ) {}

  add(item: T, pluginId: string): void {
    if (item?.specificationVersion !== 'v1') {
      throw new FerryInputError(`plugin "${pluginId}": ${this.what} has unsupported specificationVersion ${JSON.stringify(item?.specificationVersion)} (supported: v1)`, {
        code: 'unsupported_specification_version',
        details: { plugin: pluginId },
      });
    }
    const key = this.keyOf(item);
    const existing = this.entries.get(key);
    if (existing) {
      throw new FerryInputError(
        `plugin "${pluginId}": ${this.what} "${key}" is already registered by plugin "${existing.pluginId}"`,
        { code: 'duplicate_registration', details: { plugin: pluginId, other: existing.pluginId, key } },
      );
    }
    this.entries.set(key, { item, pluginId });
  }

  get(key: string): T | undefined {
    return this.entries.get(key)?.item;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  values(): T[] {
    return [...this.entries.values()].map((e) => e.item);
  }
}

/** Everything the plugins of one engine contributed, looked up by kind or name. */
export class PluginRegistry {
  readonly strategies = new Table<StrategyV1>('strategy', (s) => s.kind);
  readonly stepKinds = new Table<StepKindV1>('step kind', (s) => s.kind);
  readonly trafficProviders = new Table<TrafficProviderV1>('traffic provider', (s) => s.kind);
  readonly metricProviders = new Table<MetricProviderV1>('metric provider', (s) => s.name);
  readonly judges = new Table<JudgeV1>('judge', (s) => s.kind);
  readonly clusterConnectors = new Table<ClusterConnectorV1>('cluster connector', (s) => s.kind);
  readonly notifiers = new Table<NotifierV1>('notifier', (s) => s.name);
  private readonly pluginIds = new Set<string>();

  constructor(private readonly logger: LoggerV1) {}

  register(plugin: FerryPluginV1): void {
    if (plugin?.specificationVersion !== 'v1' || typeof plugin.register !== 'function') {
      throw new FerryInputError(`plugin "${String(plugin?.id)}" is not a v1 plugin (make it with definePlugin)`, { code: 'invalid_plugin' });
    }
    if (this.pluginIds.has(plugin.id)) {
      throw new FerryInputError(`plugin "${plugin.id}" is registered twice`, { code: 'duplicate_plugin', details: { plugin: plugin.id } });
    }
    this.pluginIds.add(plugin.id);
    const slot = <T extends { specificationVersion: string }>(table: Table<T>): ContributionSlotV1<T> => ({
      add: (item) => table.add(item, plugin.id),
    });
    const ctx: PluginContextV1 = {
      strategies: slot(this.strategies),
      stepKinds: slot(this.stepKinds),
      trafficProviders: slot(this.trafficProviders),
      metricProviders: slot(this.metricProviders),
      judges: slot(this.judges),
      clusterConnectors: slot(this.clusterConnectors),
      notifiers: slot(this.notifiers),
      logger: this.logger.child({ plugin: plugin.id }),
    };
    plugin.register(ctx);
  }

  pluginIdList(): string[] {
    return [...this.pluginIds];
  }

  strategy(kind: string): StrategyV1 {
    const found = this.strategies.get(kind);
    if (!found) throw new FerryNotFoundError(`no strategy "${kind}" is registered`, { code: 'unknown_strategy' });
    return found;
  }

  stepKind(kind: string): StepKindV1 {
    const found = this.stepKinds.get(kind);
    if (!found) throw new FerryNotFoundError(`no step kind "${kind}" is registered`, { code: 'unknown_step_kind' });
    return found;
  }

  metricProvider(name: string): MetricProviderV1 {
    const found = this.metricProviders.get(name);
    if (!found) throw new FerryNotFoundError(`no metric provider named "${name}" is registered`, { code: 'unknown_metric_provider' });
    return found;
  }

  judge(kind: string): JudgeV1 {
    const found = this.judges.get(kind);
    if (!found) throw new FerryNotFoundError(`no judge "${kind}" is registered`, { code: 'unknown_judge' });
    return found;
  }

  /** The first registered connector that reaches the account. */
  clusterConnectorFor(account: string, tenant?: string): ClusterConnectorV1 {
    const found = this.clusterConnectors.values().find((c) => c.handles(account, tenant));
    if (!found) {
      const scope = tenant !== undefined ? ` for tenant "${tenant}"` : '';
      throw new FerryNotFoundError(`no cluster connector reaches account "${account}"${scope}`, { code: 'unknown_account' });
    }
    return found;
  }
}
