import type { RawDeployFile } from './schema/deploy-file.js';
import type { RawStep } from './schema/steps.js';

type Path = Array<string | number>;

export interface LocatedRawStep {
  path: Path;
  step: RawStep;
}

/** Every step in the file with the key path it was written at (strategies, then constraints). */
export function locateRawSteps(raw: RawDeployFile): LocatedRawStep[] {
  const found: LocatedRawStep[] = [];
  const add = (steps: RawStep[] | null | undefined, path: Path) =>
    steps?.forEach((step, index) => found.push({ path: [...path, index], step }));
  for (const [name, strategy] of Object.entries(raw.strategies ?? {})) {
    add(strategy.canary?.steps, ['strategies', name, 'canary', 'steps']);
    const bg = strategy.blueGreen;
    if (bg) {
      add(bg.redirectTrafficAfter, ['strategies', name, 'blueGreen', 'redirectTrafficAfter']);
      add(bg.shutDownOldVersionAfter, ['strategies', name, 'blueGreen', 'shutDownOldVersionAfter']);
      add(bg.shutdownOldVersionAfter, ['strategies', name, 'blueGreen', 'shutdownOldVersionAfter']);
    }
  }
  for (const [name, target] of Object.entries(raw.targets)) {
    add(target.constraints?.beforeDeployment, ['targets', name, 'constraints', 'beforeDeployment']);
    add(target.constraints?.afterDeployment, ['targets', name, 'constraints', 'afterDeployment']);
  }
  return found;
}
