import { didYouMean } from './did-you-mean.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { formatKeyPath } from './key-path.js';
import { MIN_TIMEOUT_MS } from './normalize.js';
import { toDuration } from './normalize-steps.js';
import { locateRawSteps } from './raw-steps.js';
import type { RawDeployFile } from './schema/deploy-file.js';

type Path = Array<string | number>;

/** Cross-references between parts of a schema-valid file; each dangling name is an error at its path. */
export function checkReferences(raw: RawDeployFile, sink: DiagnosticSink): void {
  const targets = Object.keys(raw.targets);
  const strategies = Object.keys(raw.strategies ?? {});
  const queries = uniqueNames(raw.analysis?.queries ?? [], ['analysis', 'queries'], 'query', sink);
  const webhooks = uniqueNames(raw.webhooks ?? [], ['webhooks'], 'webhook', sink);

  const reference = (name: string, known: string[], what: string, path: Path) => {
    if (!known.includes(name)) sink.error(path, 'dangling_reference', `unknown ${what} "${name}"${didYouMean(name, known)}`);
  };

  for (const [name, target] of Object.entries(raw.targets)) {
    if (target.strategy) reference(target.strategy, strategies, 'strategy', ['targets', name, 'strategy']);
    target.constraints?.dependsOn?.forEach((dependency, index) =>
      reference(dependency, targets, 'target', ['targets', name, 'constraints', 'dependsOn', index]),
    );
  }
  for (const { path, step } of locateRawSteps(raw)) {
    step.analysis?.queries.forEach((query, index) => reference(query, queries, 'query', [...path, 'analysis', 'queries', index]));
    if (step.runWebhook) reference(step.runWebhook.name, webhooks, 'webhook', [...path, 'runWebhook', 'name']);
  }
  raw.manifests.forEach((manifest, i) =>
    manifest.targets?.forEach((name, j) => reference(name, targets, 'target', ['manifests', i, 'targets', j])),
  );
  raw.trafficManagement?.forEach((entry, i) =>
    entry.targets?.forEach((name, j) => reference(name, targets, 'target', ['trafficManagement', i, 'targets', j])),
  );
  checkTimeout(raw, sink);
  checkCycles(raw, sink);
}

/** Names in a list must be unique; returns the names. */
function uniqueNames(items: Array<{ name: string }>, path: Path, what: string, sink: DiagnosticSink): string[] {
  const first = new Map<string, number>();
  items.forEach((item, index) => {
    const earlier = first.get(item.name);
    if (earlier === undefined) first.set(item.name, index);
    else sink.error([...path, index, 'name'], 'duplicate_name', `duplicate ${what} name "${item.name}" (first defined at ${formatKeyPath([...path, earlier])})`);
  });
  return [...first.keys()];
}

function checkTimeout(raw: RawDeployFile, sink: DiagnosticSink): void {
  const timeout = toDuration(raw.deploymentConfig?.timeout);
  if (timeout && timeout.ms < MIN_TIMEOUT_MS) {
    sink.error(['deploymentConfig', 'timeout'], 'out_of_range', `must be at least 60 seconds (got ${timeout.duration} ${timeout.unit})`);
  }
}

/** Reports each dependency cycle once, at the edge that closes it, e.g. `a → b → a`. */
function checkCycles(raw: RawDeployFile, sink: DiagnosticSink): void {
  const edges = (name: string) => raw.targets[name]?.constraints?.dependsOn ?? [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];

  const visit = (name: string) => {
    state.set(name, 'visiting');
    stack.push(name);
    edges(name).forEach((next, index) => {
      if (!Object.hasOwn(raw.targets, next)) return;
      const seen = state.get(next);
      if (seen === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        sink.error(['targets', name, 'constraints', 'dependsOn', index], 'dependency_cycle', `dependency cycle: ${cycle.join(' → ')}`);
      } else if (seen === undefined) {
        visit(next);
      }
    });
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(raw.targets)) if (!state.has(name)) visit(name);
}
