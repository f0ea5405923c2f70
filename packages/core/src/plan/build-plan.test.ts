import { describe, expect, it } from 'vitest';
import { FerryInputError } from '../errors/index.js';
import { silentLogger } from '../engine/silent-logger.js';
import { builtinStepKinds } from '../engine/steps/builtin-plugin.js';
import { definePlugin } from '../plugins/define-plugin.js';
import { PluginRegistry } from '../plugins/registry.js';
import { analysisStep, approvalPause, testCanaryStrategy, testDeployFile, testQuery, testTarget, timedPause } from '../testing/index.js';
import { buildPlan } from './build-plan.js';
import { renderPlan } from './render-plan.js';

function registry(withStrategy = true): PluginRegistry {
  const r = new PluginRegistry(silentLogger);
  r.register(builtinStepKinds());
  if (withStrategy) r.register(definePlugin({ id: 'test', register: (ctx) => ctx.strategies.add(testCanaryStrategy()) }));
  return r;
}

const file = () =>
  testDeployFile({
    targets: {
      prod: testTarget('prod', { strategy: 'c', dependsOn: ['staging'], before: [approvalPause({ roles: ['SRE'] }), timedPause(30)], after: [analysisStep({ queries: ['errors'] })] }),
      staging: testTarget('staging'),
    },
    strategies: { c: { kind: 'canary', name: 'c', steps: [{ kind: 'setWeight', weight: 25 }, timedPause(60)] } },
    analysis: { queries: { errors: testQuery('errors') } },
  });

describe('buildPlan', () => {
  it('orders targets topologically and gives steps stable ids per phase', () => {
    const plan = buildPlan(file(), registry());
    expect(plan.targets.map((t) => t.name)).toEqual(['staging', 'prod']);
    const prod = plan.targets[1]!;
    expect(prod.stages.map((s) => [s.phase, s.name, s.steps.map((st) => `${st.id}:${st.kind}:${st.runner}`)])).toEqual([
      ['before', 'beforeDeployment', ['prod/before/0:pause:stepKind', 'prod/before/1:pause:stepKind']],
      ['strategy', 'deploy', ['prod/strategy/0:deploy:strategy']],
      ['strategy', 'setWeight', ['prod/strategy/1:setWeight:strategy']],
      ['strategy', 'pause', ['prod/strategy/2:pause:stepKind']],
      ['strategy', 'promote', ['prod/strategy/3:promote:strategy']],
      ['after', 'afterDeployment', ['prod/after/0:analysis:stepKind']],
    ]);
    expect(plan.targets[0]?.stages).toEqual([
      { name: 'apply', phase: 'strategy', steps: [{ id: 'staging/strategy/0', kind: 'apply', runner: 'stepKind', title: 'apply manifests', config: {} }] },
    ]);
  });

  it('renders a readable tree per target', () => {
    expect(renderPlan(buildPlan(file(), registry()))).toBe(
      [
        'application app',
        'target staging → staging-cluster/shop, no strategy: apply manifests',
        '└─ apply',
        '   └─ staging/strategy/0  apply manifests',
        'target prod → prod-cluster/shop, strategy c (canary), after staging',
        '├─ beforeDeployment (in parallel)',
        '│  ├─ prod/before/0  pause until approved by SRE',
        '│  └─ prod/before/1  pause 30 seconds',
        '├─ deploy',
        '│  └─ prod/strategy/0  deploy the new version',
        '├─ setWeight',
        '│  └─ prod/strategy/1  setWeight 25%',
        '├─ pause',
        '│  └─ prod/strategy/2  pause 60 seconds',
        '├─ promote',
        '│  └─ prod/strategy/3  promote to 100% [always runs]',
        '└─ afterDeployment',
        '   └─ prod/after/0  analysis of errors (1 × 60 seconds)',
      ].join('\n'),
    );
  });

  it('reports every unregistered strategy or step kind with its key path', () => {
    const f = file();
    f.config.targets['prod']!.constraints.beforeDeployment.push({ kind: 'runWebhook', name: 'gate', context: {} });
    f.config.targets['staging']!.constraints.afterDeployment.push({ kind: 'custom', stepKind: 'smoke', config: {} });
    let error: FerryInputError | undefined;
    try {
      buildPlan(f, registry(false));
    } catch (e) {
      error = e as FerryInputError;
    }
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error?.diagnostics.map((d) => `${d.path}: ${d.message}`)).toEqual([
      'targets.staging.constraints.afterDeployment[0]: no plugin provides the "smoke" step kind',
      'targets.prod.constraints.beforeDeployment[2]: no plugin provides the "runWebhook" step kind',
      'strategies.c: no plugin provides the "canary" strategy',
    ]);
  });

  it('validates custom step configs with the step kind and reports cycles and unknown targets', () => {
    const r = registry();
    r.register(
      definePlugin({
        id: 'acme',
        register: (ctx) =>
          ctx.stepKinds.add({
            specificationVersion: 'v1',
            kind: 'smoke',
            validate(config, { path }) {
              if (typeof (config as { url?: unknown }).url !== 'string') throw new FerryInputError(`${path}.url: required`);
              return config;
            },
            run: async () => ({ status: 'succeeded' }),
          }),
      }),
    );
    const f = file();
    f.config.targets['staging']!.constraints.beforeDeployment.push({ kind: 'custom', stepKind: 'smoke', config: {} });
    expect(() => buildPlan(f, r)).toThrow('targets.staging.constraints.beforeDeployment[0]: targets.staging.constraints.beforeDeployment[0].custom.config.url: required');
    const cyclic = file();
    cyclic.config.targets['staging']!.constraints.dependsOn = ['prod'];
    expect(() => buildPlan(cyclic, r)).toThrow(/dependency cycle prod → staging → prod|dependency cycle staging → prod → staging/);
    const dangling = file();
    dangling.config.targets['prod']!.constraints.dependsOn = ['stagin'];
    expect(() => buildPlan(dangling, r)).toThrow('targets.prod.constraints.dependsOn[0]: unknown target "stagin"');
  });
});
