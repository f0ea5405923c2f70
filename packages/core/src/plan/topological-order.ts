import type { TargetConfig } from '../config/types.js';
import { FerryInputError } from '../errors/index.js';

/**
 * Orders targets so every target comes after the ones it depends on; ties keep the file's
 * order. An unknown dependency or a cycle is a FerryInputError with the key path.
 */
export function topologicalOrder(targets: Record<string, TargetConfig>): string[] {
  const names = Object.keys(targets);
  for (const name of names) {
    (targets[name]?.constraints.dependsOn ?? []).forEach((dep, i) => {
      if (!(dep in targets)) {
        throw new FerryInputError(`targets.${name}.constraints.dependsOn[${i}]: unknown target "${dep}"`, {
          code: 'dangling_reference',
          diagnostics: [{ severity: 'error', code: 'dangling_reference', path: `targets.${name}.constraints.dependsOn[${i}]`, message: `unknown target "${dep}"` }],
        });
      }
    });
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name].join(' → ');
      throw new FerryInputError(`targets.${name}.constraints.dependsOn: dependency cycle ${cycle}`, {
        code: 'dependency_cycle',
        diagnostics: [{ severity: 'error', code: 'dependency_cycle', path: `targets.${name}.constraints.dependsOn`, message: `dependency cycle ${cycle}` }],
      });
    }
    state.set(name, 'visiting');
    for (const dep of targets[name]?.constraints.dependsOn ?? []) visit(dep, [...trail, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) visit(name, []);
  return order;
}
