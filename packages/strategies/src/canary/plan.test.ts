import type { CanaryStrategyConfig, StepConfig } from '@ferry/core';
import { FerryInputError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { planCanary } from './plan.js';

const seconds = (n: number) => ({ duration: n, unit: 'seconds' as const, ms: n * 1000 });
const block = (steps: StepConfig[]): CanaryStrategyConfig => ({ kind: 'canary', name: 'c', steps });
const shape = (steps: StepConfig[]) =>
  planCanary(block(steps)).map((stage) => {
    expect(stage.steps).toHaveLength(1);
    const step = stage.steps[0];
    return [step?.id, step?.kind, step?.runner, (step?.config as { weight?: number }).weight, step?.alwaysRun ?? false];
  });

describe('planCanary', () => {
  it('plans deploy, every configured step, the implicit setWeight 100 and promote', () => {
    expect(
      shape([
        { kind: 'setWeight', weight: 25 },
        { kind: 'pause', duration: seconds(30), untilApproved: false, requiresRoles: [] },
        { kind: 'runWebhook', name: 'check', context: {} },
        { kind: 'exposeServices', services: ['web'] },
        { kind: 'custom', stepKind: 'smokeTest', config: { url: 'x' } },
        { kind: 'setWeight', weight: 50 },
      ]),
    ).toEqual([
      ['deploy', 'deploy', 'strategy', undefined, false],
      ['steps[0]', 'setWeight', 'strategy', 25, false],
      ['steps[1]', 'pause', 'stepKind', undefined, false],
      ['steps[2]', 'runWebhook', 'stepKind', undefined, false],
      ['steps[3]', 'exposeServices', 'stepKind', undefined, false],
      ['steps[4]', 'smokeTest', 'stepKind', undefined, false],
      ['steps[5]', 'setWeight', 'strategy', 50, false],
      ['final-weight', 'setWeight', 'strategy', 100, true],
      ['promote', 'promote', 'strategy', undefined, true],
    ]);
  });

  it('hands a custom step its own config, and other steps their step config', () => {
    const stages = planCanary(block([{ kind: 'custom', stepKind: 'smokeTest', config: { url: 'x' } }, { kind: 'runWebhook', name: 'check', context: {} }]));
    expect(stages[1]?.steps[0]?.config).toEqual({ url: 'x' });
    expect(stages[2]?.steps[0]?.config).toEqual({ kind: 'runWebhook', name: 'check', context: {} });
  });

  it('runs a leading pause at weight 0', () => {
    expect(shape([{ kind: 'pause', untilApproved: true, requiresRoles: [] }]).slice(0, 3)).toEqual([
      ['deploy', 'deploy', 'strategy', undefined, false],
      ['leading-pause-weight', 'setWeight', 'strategy', 0, false],
      ['steps[0]', 'pause', 'stepKind', undefined, false],
    ]);
  });

  it('makes a final explicit setWeight 100 the always-run one instead of adding another', () => {
    expect(shape([{ kind: 'setWeight', weight: 100 }])).toEqual([
      ['deploy', 'deploy', 'strategy', undefined, false],
      ['steps[0]', 'setWeight', 'strategy', 100, true],
      ['promote', 'promote', 'strategy', undefined, true],
    ]);
  });

  it('plans an empty canary as deploy, 100%, promote', () => {
    expect(shape([]).map(([id]) => id)).toEqual(['deploy', 'final-weight', 'promote']);
  });

  it('refuses a blue/green block', () => {
    expect(() => planCanary({ kind: 'blueGreen', name: 'bg', redirectTrafficAfter: [], shutDownOldVersionAfter: [] })).toThrow(FerryInputError);
  });
});
