import { inject, injectable } from 'tsyringe';
import type { KubeObject, TargetConfig } from '../config/types.js';
import { TOKENS } from '../di/tokens.js';
import { FerryNotFoundError } from '../errors/index.js';
import type {
  ClockV1,
  ClusterClientV1,
  LoggerV1,
  MetricProviderV1,
  PlannedStepV1,
  RollbackContextV1,
  StepContextV1,
  StepVariablesV1,
} from '../plugins/contracts.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { StepStateV1, StoreV1 } from '../store/contracts.js';
import { issueCallbackToken } from './callbacks.js';
import type { DeploymentRuntime } from './deployment-runtime.js';
import type { DeploymentScope, EngineSettings } from './engine-settings.js';
import { manifestsForTarget } from './target-manifests.js';

/** Builds the contexts plugins run with, from a deployment's runtime and persisted state. */
@injectable()
export class StepContextFactory {
  constructor(
    @inject(TOKENS.Registry) private readonly registry: PluginRegistry,
    @inject(TOKENS.Clock) private readonly clock: ClockV1,
    @inject(TOKENS.Logger) private readonly logger: LoggerV1,
    @inject(TOKENS.Settings) private readonly settings: EngineSettings,
    @inject(TOKENS.Store) private readonly store: StoreV1,
  ) {}

  stepContext(rt: DeploymentRuntime, targetName: string, step: PlannedStepV1, st: StepStateV1, signal: AbortSignal): StepContextV1 {
    const config = rt.spec.file.config;
    const target = config.targets[targetName] as TargetConfig;
    const registry = this.registry;
    const ctx: StepContextV1 = {
      deploymentId: rt.id,
      tenant: rt.tenant,
      application: rt.application,
      target,
      config,
      stepId: step.id,
      step,
      state: st.state,
      ...(st.decision ? { decision: st.decision } : {}),
      ...(st.callback ? { callback: { ...st.callback } } : {}),
      issueCallbackToken: () => issueCallbackToken(this.store, { deploymentId: rt.id, stepId: step.id, owner: this.settings.owner, signal }),
      startedAt: st.startedAt ?? this.clock.now(),
      attempt: st.attempt,
      now: () => this.clock.now(),
      signal,
      logger: this.logger.child({ deploymentId: rt.id, target: targetName, stepId: step.id }),
      cluster: () => this.cluster(rt, target, signal),
      manifests: this.manifests(rt, target),
      trafficManagement: trafficFor(config.trafficManagement, targetName),
      variables: this.variables(rt, target),
      secret: (name) => this.secret(rt, name),
      strategyState: rt.state.targets[targetName]?.strategyState,
      metricProvider: (name) => this.metricProvider(rt, name),
      judge: (kind) => registry.judge(kind),
      trafficProvider: (kind) => registry.trafficProviders.get(kind),
    };
    return ctx;
  }

  rollbackContext(rt: DeploymentRuntime, targetName: string): RollbackContextV1 {
    const config = rt.spec.file.config;
    const target = config.targets[targetName] as TargetConfig;
    const signal = rt.rollbackSignal.signal;
    return {
      deploymentId: rt.id,
      target,
      config,
      strategyState: rt.state.targets[targetName]?.strategyState,
      manifests: this.manifests(rt, target),
      trafficManagement: trafficFor(config.trafficManagement, targetName),
      cluster: () => this.cluster(rt, target, signal),
      trafficProvider: (kind) => this.registry.trafficProviders.get(kind),
      signal,
      logger: this.logger.child({ deploymentId: rt.id, target: targetName, rollback: true }),
      now: () => this.clock.now(),
    };
  }

  private manifests(rt: DeploymentRuntime, target: TargetConfig): KubeObject[] {
    let objects = rt.manifests.get(target.name);
    if (!objects) {
      objects = manifestsForTarget(rt.spec.file.manifests, target.name, target.namespace);
      rt.manifests.set(target.name, objects);
    }
    return objects;
  }

  /** One client per target and deployment; a failed connection is not cached so a re-run retries. */
  private cluster(rt: DeploymentRuntime, target: TargetConfig, signal: AbortSignal): Promise<ClusterClientV1> {
    let client = rt.clusters.get(target.name);
    if (!client) {
      const connector = this.registry.clusterConnectorFor(target.account, rt.tenant);
      client = connector.client({ account: target.account, namespace: target.namespace, tenant: rt.tenant }, { signal });
      rt.clusters.set(target.name, client);
      client.catch(() => rt.clusters.delete(target.name));
    }
    return client;
  }

  private variables(rt: DeploymentRuntime, target: TargetConfig): StepVariablesV1 {
    return {
      armory: {
        deploymentId: rt.id,
        applicationName: rt.application,
        environmentName: target.name,
        accountName: target.account,
        namespace: target.namespace,
        ...previewVariables(rt, target.name),
      },
      context: rt.spec.context,
    };
  }

  private metricProvider(rt: DeploymentRuntime, name: string | undefined): MetricProviderV1 {
    const resolved = name ?? rt.spec.file.config.analysis.defaultMetricProviderName;
    if (resolved === undefined) {
      throw new FerryNotFoundError('no metric provider named: set metricProviderName or analysis.defaultMetricProviderName', { code: 'unknown_metric_provider' });
    }
    return this.settings.resolveMetricProvider?.(resolved, this.scope(rt)) ?? this.registry.metricProvider(resolved);
  }

  private secret(rt: DeploymentRuntime, name: string): Promise<string> {
    if (!this.settings.secrets) return Promise.reject(new FerryNotFoundError(`secret "${name}" cannot be resolved: the engine has no secret resolver`, { code: 'secret_not_found' }));
    return this.settings.secrets(name, this.scope(rt));
  }

  private scope(rt: DeploymentRuntime): DeploymentScope {
    return { deploymentId: rt.id, application: rt.application, tenant: rt.tenant };
  }
}

function trafficFor<T extends { targets?: string[] }>(entries: T[], target: string): T[] {
  return entries.filter((e) => !e.targets || e.targets.includes(target));
}

/**
 * `{{armory.preview.SVC}}`: the links earlier `exposeServices` steps of this target made. A
 * step that exposes services keeps `{previews: {SVC: {url}}}` as its state.
 */
function previewVariables(rt: DeploymentRuntime, targetName: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const step of Object.values(rt.state.targets[targetName]?.steps ?? {})) {
    const previews = (step.state as { previews?: unknown } | undefined)?.previews;
    if (!previews || typeof previews !== 'object') continue;
    for (const [service, link] of Object.entries(previews as Record<string, { url?: unknown }>)) {
      if (typeof link?.url === 'string') variables[`preview.${service}`] = link.url;
    }
  }
  return variables;
}
