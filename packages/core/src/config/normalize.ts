import type { RawDeployFile, RawStrategy } from './schema/deploy-file.js';
import { makeDuration, normalizeSteps, toDuration } from './normalize-steps.js';
import type {
  AnalysisConfig,
  DeployConfig,
  DeploymentSettings,
  ManifestSource,
  StrategyConfig,
  TargetConfig,
  TrafficManagementConfig,
  WebhookConfig,
} from './types.js';

/** Default and minimum of `deploymentConfig.timeout` (deploy-config.md). */
export const DEFAULT_TIMEOUT = makeDuration(30, 'minutes');
export const MIN_TIMEOUT_MS = 60_000;
const DEFAULT_CALLBACK_TIMEOUT = makeDuration(24, 'hours');

/**
 * Raw (validated) file → DeployConfig: aliases resolved, defaults filled in, lists keyed by
 * name become maps. Cannot fail: everything it relies on was checked by the schema. When a
 * name is duplicated (reported elsewhere), the first definition wins.
 */
export function normalize(raw: RawDeployFile): DeployConfig {
  return {
    version: 'v1',
    kind: 'kubernetes',
    application: raw.application,
    ...(raw.description ? { description: raw.description } : {}),
    context: raw.context ?? {},
    deploymentConfig: deploymentSettings(raw),
    targets: mapValues(raw.targets, target),
    manifests: raw.manifests.map(manifest),
    strategies: mapValues(raw.strategies ?? {}, strategy),
    analysis: analysis(raw),
    webhooks: byName((raw.webhooks ?? []).map(webhook)),
    trafficManagement: (raw.trafficManagement ?? []).map(trafficManagement),
  };
}

function deploymentSettings(raw: RawDeployFile): DeploymentSettings {
  const settings = raw.deploymentConfig;
  return {
    timeout: toDuration(settings?.timeout) ?? DEFAULT_TIMEOUT,
    keepDeploymentObject: settings?.keepDeploymentObject ?? false,
    ifDeploymentInProgress: { strategy: settings?.ifDeploymentInProgress?.strategy ?? 'reject' },
  };
}

function target(raw: RawDeployFile['targets'][string], name: string): TargetConfig {
  return {
    name,
    account: raw.account,
    namespace: raw.namespace,
    ...(raw.strategy ? { strategy: raw.strategy } : {}),
    constraints: {
      dependsOn: raw.constraints?.dependsOn ?? [],
      beforeDeployment: normalizeSteps(raw.constraints?.beforeDeployment),
      afterDeployment: normalizeSteps(raw.constraints?.afterDeployment),
    },
  };
}

function manifest(raw: RawDeployFile['manifests'][number]): ManifestSource {
  const targets = raw.targets ? { targets: raw.targets } : {};
  return raw.path ? { path: raw.path, ...targets } : { inline: raw.inline ?? '', ...targets };
}

function strategy(raw: RawStrategy, name: string): StrategyConfig {
  if (raw.canary) return { kind: 'canary', name, steps: normalizeSteps(raw.canary.steps) };
  const bg = raw.blueGreen ?? {};
  return {
    kind: 'blueGreen',
    name,
    ...(bg.activeService ? { activeService: bg.activeService } : {}),
    ...(bg.previewService ? { previewService: bg.previewService } : {}),
    redirectTrafficAfter: normalizeSteps(bg.redirectTrafficAfter),
    shutDownOldVersionAfter: normalizeSteps(bg.shutDownOldVersionAfter ?? bg.shutdownOldVersionAfter),
  };
}

function analysis(raw: RawDeployFile): AnalysisConfig {
  const queries = (raw.analysis?.queries ?? []).map((query) => ({
    name: query.name,
    ...(query.upperLimit !== null && query.upperLimit !== undefined ? { upperLimit: query.upperLimit } : {}),
    ...(query.lowerLimit !== null && query.lowerLimit !== undefined ? { lowerLimit: query.lowerLimit } : {}),
    ...(query.metricProviderName ? { metricProviderName: query.metricProviderName } : {}),
    queryTemplate: query.queryTemplate,
  }));
  const defaultProvider = raw.analysis?.defaultMetricProviderName;
  return { ...(defaultProvider ? { defaultMetricProviderName: defaultProvider } : {}), queries: byName(queries) };
}

function webhook(raw: NonNullable<RawDeployFile['webhooks']>[number]): WebhookConfig {
  return {
    name: raw.name,
    method: raw.method.toUpperCase(),
    uriTemplate: raw.uriTemplate,
    networkMode: raw.networkMode ?? 'direct',
    ...(raw.agentIdentifier ? { agentIdentifier: raw.agentIdentifier } : {}),
    headers: raw.headers ?? [],
    ...(raw.bodyTemplate ? { bodyTemplate: { inline: raw.bodyTemplate.inline } } : {}),
    retryCount: raw.retryCount ?? 0,
    disableCallback: raw.disableCallback ?? false,
    callbackTimeout: toDuration(raw.callbackTimeout) ?? DEFAULT_CALLBACK_TIMEOUT,
  };
}

function trafficManagement(raw: NonNullable<RawDeployFile['trafficManagement']>[number]): TrafficManagementConfig {
  return {
    ...(raw.targets ? { targets: raw.targets } : {}),
    smi: (raw.smi ?? []).map((smi) => ({
      rootServiceName: smi.rootServiceName,
      canaryServiceName: smi.canaryServiceName ?? `${smi.rootServiceName}-canary`,
      trafficSplitName: smi.trafficSplitName ?? smi.rootServiceName,
    })),
    istio: (raw.istio ?? []).map((istio) => ({
      virtualService: {
        name: istio.virtualService.name,
        ...(istio.virtualService.httpRouteName ? { httpRouteName: istio.virtualService.httpRouteName } : {}),
      },
      destinationRule: {
        name: istio.destinationRule.name,
        activeSubsetName: istio.destinationRule.activeSubsetName ?? 'stable',
        canarySubsetName: istio.destinationRule.canarySubsetName ?? 'canary',
      },
    })),
    kubernetes: raw.kubernetes ?? [],
    gatewayApi: (raw.gatewayApi ?? []).map((entry) => ({
      httpRoute: { name: entry.httpRoute.name, ruleIndex: entry.httpRoute.ruleIndex ?? 0 },
      stableService: entry.stableService,
      canaryService: entry.canaryService,
    })),
    nginx: raw.nginx ?? [],
  };
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T, key: string) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [key, value] of Object.entries(record)) setOwn(out, key, fn(value, key));
  return out;
}

function byName<T extends { name: string }>(items: T[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const item of items) if (!Object.hasOwn(out, item.name)) setOwn(out, item.name, item);
  return out;
}

/** Plain assignment would treat a user-chosen name such as `__proto__` specially. */
function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
