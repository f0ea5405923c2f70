import { describe, expect, it } from 'vitest';
import { parseDeployFile } from './index.js';
import type { DeployFile, StepConfig } from './types.js';

const HEAD = `application: shop
targets:
  prod:
    account: prod-cluster
    namespace: shop
manifests:
  - inline: |
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
analysis:
  queries:
    - {name: errorRate, upperLimit: 1, queryTemplate: sum(errors)}
`;

/** Loads a file whose canary strategy has the given steps (YAML list items, 8-space indented). */
async function withSteps(steps: string, extra = ''): Promise<DeployFile> {
  const head = HEAD.replace('namespace: shop\n', 'namespace: shop\n    strategy: c\n');
  return parseDeployFile(`${head}strategies:\n  c:\n    canary:\n      steps:\n${steps}${extra}`);
}

async function stepsOf(steps: string): Promise<StepConfig[]> {
  const file = await withSteps(steps);
  const strategy = file.config.strategies.c;
  if (strategy?.kind !== 'canary') throw new Error('expected the canary strategy');
  return strategy.steps;
}

describe('tolerance rules of deploy-config.md', () => {
  it('setWeight: 25 is the same as setWeight: {weight: 25}', async () => {
    const short = await stepsOf('        - setWeight: 25\n');
    const long = await stepsOf('        - setWeight: {weight: 25}\n');
    expect(short).toEqual([{ kind: 'setWeight', weight: 25 }]);
    expect(short).toEqual(long);
  });

  it('unit is the same as units in analysis steps', async () => {
    const analysis = (key: string) => `        - analysis: {interval: 2, ${key}: minutes, queries: [errorRate]}\n`;
    const withUnit = await stepsOf(analysis('unit'));
    const withUnits = await stepsOf(analysis('units'));
    expect(withUnit).toEqual(withUnits);
    expect(withUnit[0]).toMatchObject({ kind: 'analysis', interval: { duration: 2, unit: 'minutes', ms: 120_000 } });
  });

  it('units are case-insensitive', async () => {
    const steps = await stepsOf(
      '        - pause: {duration: 2, unit: MINUTES}\n' +
        '        - analysis: {interval: 30, units: Seconds, queries: [errorRate]}\n' +
        '        - exposeServices: {services: [app], ttl: {duration: 1, unit: Hours}}\n',
    );
    expect(steps[0]).toMatchObject({ duration: { duration: 2, unit: 'minutes', ms: 120_000 } });
    expect(steps[1]).toMatchObject({ interval: { duration: 30, unit: 'seconds', ms: 30_000 } });
    expect(steps[2]).toMatchObject({ ttl: { duration: 1, unit: 'hours', ms: 3_600_000 } });
  });

  it('units is accepted in place of unit in {duration, unit} blocks too', async () => {
    const file = await parseDeployFile(`${HEAD}deploymentConfig:\n  timeout: {duration: 5, units: minutes}\n`);
    expect(file.config.deploymentConfig.timeout).toEqual({ duration: 5, unit: 'minutes', ms: 300_000 });
  });

  it('requiresRole is the same as requiresRoles', async () => {
    const one = await stepsOf('        - pause: {untilApproved: true, requiresRole: [Release Manager]}\n');
    const other = await stepsOf('        - pause: {untilApproved: true, requiresRoles: [Release Manager]}\n');
    expect(one).toEqual(other);
    expect(one[0]).toEqual({ kind: 'pause', untilApproved: true, requiresRoles: ['Release Manager'] });
  });

  it('a single role may be written without a list', async () => {
    const steps = await stepsOf('        - pause: {untilApproved: true, requiresRole: Release Manager}\n');
    expect(steps[0]).toMatchObject({ requiresRoles: ['Release Manager'] });
  });

  it('shutdownOldVersionAfter is the same as shutDownOldVersionAfter', async () => {
    const blueGreen = (key: string) =>
      parseDeployFile(
        HEAD.replace('namespace: shop\n', 'namespace: shop\n    strategy: bg\n').replace('name: settings}', 'name: settings}\n      ---\n      apiVersion: v1\n      kind: Service\n      metadata: {name: app}') +
          `strategies:\n  bg:\n    blueGreen:\n      activeService: app\n      previewService: app\n      ${key}:\n        - pause: {duration: 15, unit: minutes}\n`,
      );
    const lower = (await blueGreen('shutdownOldVersionAfter')).config.strategies.bg;
    const upper = (await blueGreen('shutDownOldVersionAfter')).config.strategies.bg;
    expect(lower).toEqual(upper);
    expect(lower).toMatchObject({ kind: 'blueGreen', shutDownOldVersionAfter: [{ kind: 'pause', duration: { ms: 900_000 } }] });
  });

  it('approvalDuration is the same as approvalExpiration', async () => {
    const one = await stepsOf('        - pause: {untilApproved: true, approvalDuration: {duration: 24, unit: hours}}\n');
    const other = await stepsOf('        - pause: {untilApproved: true, approvalExpiration: {duration: 24, unit: hours}}\n');
    expect(one).toEqual(other);
    expect(one[0]).toMatchObject({ approvalExpiration: { duration: 24, unit: 'hours', ms: 86_400_000 } });
  });

  it('unit none marks a duration that does not apply', async () => {
    const steps = await stepsOf('        - pause: {untilApproved: true, duration: 0, unit: none, approvalExpiration: {duration: 0, unit: NONE}}\n');
    expect(steps[0]).toEqual({ kind: 'pause', untilApproved: true, requiresRoles: [] });
  });

  it('scalar context values are read as strings', async () => {
    const file = await parseDeployFile(`${HEAD}context:\n  build: 123\n  canary: true\n  team: shop\n`);
    expect(file.config.context).toEqual({ build: '123', canary: 'true', team: 'shop' });
  });

  it('empty optional sections (a key with nothing after it) are treated as absent', async () => {
    const file = await parseDeployFile(`${HEAD}strategies:\nwebhooks:\ntrafficManagement:\ncontext:\n`);
    expect(file.config.strategies).toEqual({});
    expect(file.config.webhooks).toEqual({});
    expect(file.config.trafficManagement).toEqual([]);
    expect(file.config.context).toEqual({});
  });
});
