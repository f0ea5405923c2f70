import { didYouMean } from './did-you-mean.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { DeployConfig, ResolvedManifest } from './types.js';

type Path = Array<string | number>;

interface ServiceUse {
  path: Path;
  service: string;
  target: string;
}

/**
 * Services a strategy or traffic provider relies on must be deployed with the target.
 * `manifestsResolved` is false when some manifest could not be read: then which Services
 * exist is unknown and only the "is one named at all" part is checked.
 */
export function checkServices(
  config: DeployConfig,
  manifests: readonly ResolvedManifest[],
  manifestsResolved: boolean,
  sink: DiagnosticSink,
): void {
  const uses = [...blueGreenUses(config, sink), ...smiUses(config)];
  if (!manifestsResolved) return;
  const missing = new Map<string, ServiceUse[]>();
  for (const use of uses) {
    if (servicesFor(manifests, use.target).includes(use.service)) continue;
    const key = JSON.stringify(use.path);
    missing.set(key, [...(missing.get(key) ?? []), use]);
  }
  for (const group of missing.values()) {
    const first = group[0];
    if (!first) continue;
    const targets = group.map((use) => `"${use.target}"`).join(', ');
    const known = group.flatMap((use) => servicesFor(manifests, use.target));
    sink.error(
      first.path,
      'missing_service',
      `Service "${first.service}" is not in the manifests deployed to ${group.length === 1 ? 'target' : 'targets'} ${targets}${didYouMean(first.service, known)}`,
    );
  }
}

function blueGreenUses(config: DeployConfig, sink: DiagnosticSink): ServiceUse[] {
  const uses: ServiceUse[] = [];
  for (const [target, settings] of Object.entries(config.targets)) {
    const name = settings.strategy;
    const strategy = name === undefined ? undefined : config.strategies[name];
    if (!name || strategy?.kind !== 'blueGreen') continue;
    const fromTraffic = kubernetesTrafficFor(config, target);
    const strategyPath = ['strategies', name, 'blueGreen'];
    for (const role of ['activeService', 'previewService'] as const) {
      const service = strategy[role];
      if (service) uses.push({ path: [...strategyPath, role], service, target });
      else if (fromTraffic) uses.push({ path: [...fromTraffic.path, role], service: fromTraffic.entry[role], target });
      else {
        sink.error(
          ['targets', target, 'strategy'],
          'missing_service',
          `blue/green strategy "${name}" needs ${role}: set it in the strategy or in trafficManagement[].kubernetes for target "${target}"`,
        );
      }
    }
  }
  return uses;
}

function kubernetesTrafficFor(config: DeployConfig, target: string) {
  for (const [i, entry] of config.trafficManagement.entries()) {
    if (entry.targets && !entry.targets.includes(target)) continue;
    const first = entry.kubernetes[0];
    if (first) return { path: ['trafficManagement', i, 'kubernetes', 0], entry: first };
  }
  return undefined;
}

function smiUses(config: DeployConfig): ServiceUse[] {
  const allTargets = Object.keys(config.targets);
  return config.trafficManagement.flatMap((entry, i) =>
    entry.smi.flatMap((smi, j) =>
      (entry.targets ?? allTargets)
        .filter((target) => allTargets.includes(target))
        .map((target) => ({ path: ['trafficManagement', i, 'smi', j, 'rootServiceName'], service: smi.rootServiceName, target })),
    ),
  );
}

function servicesFor(manifests: readonly ResolvedManifest[], target: string): string[] {
  return manifests
    .filter((manifest) => !manifest.targets || manifest.targets.includes(target))
    .flatMap((manifest) => manifest.objects)
    .filter((object) => object.kind === 'Service')
    .map((object) => object.metadata.name);
}
