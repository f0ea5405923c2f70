import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FerryInputError } from '../errors/index.js';
import { loadDeployFile, parseDeployFile, validateDeployText } from './index.js';

const validDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/valid');
const fixture = (name: string) => path.join(validDir, name);

const MINIMAL = `application: shop
targets:
  prod:
    account: prod-cluster
    namespace: shop
manifests:
  - inline: |
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
`;

describe('loadDeployFile on the examples of deploy-config.md', () => {
  it('loads the canary file with every canary, analysis, webhook and traffic example', async () => {
    const file = await loadDeployFile(fixture('canary.yml'));
    expect(file.path).toBe(fixture('canary.yml'));
    expect(file.warnings).toEqual([]);
    const { config } = file;
    expect(config.deploymentConfig).toEqual({
      timeout: { duration: 10, unit: 'minutes', ms: 600_000 },
      keepDeploymentObject: false,
      ifDeploymentInProgress: { strategy: 'enqueueOne' },
    });
    expect(Object.keys(config.targets)).toEqual(['staging', 'prod-west']);
    expect(config.targets['prod-west']?.constraints.dependsOn).toEqual(['staging']);
    const canary = config.strategies.mycanary;
    expect(canary?.kind).toBe('canary');
    expect(canary?.kind === 'canary' && canary.steps.map((step) => step.kind)).toEqual([
      'setWeight',
      'pause',
      'pause',
      'analysis',
      'runWebhook',
      'exposeServices',
      'setWeight',
      'custom',
    ]);
    expect(canary?.kind === 'canary' && canary.steps[7]).toEqual({ kind: 'custom', stepKind: 'slackNotify', config: { channel: '#deploys' } });
    expect(Object.keys(config.analysis.queries)).toEqual(['errorRate', 'latencyP99']);
    expect(config.webhooks.CheckLogs).toMatchObject({ method: 'POST', retryCount: 3, networkMode: 'direct', agentIdentifier: 'prod-west-cluster' });
    expect(config.trafficManagement[0]?.smi).toEqual([{ rootServiceName: 'app', canaryServiceName: 'app-canary', trafficSplitName: 'app' }]);
    expect(config.trafficManagement[1]?.istio[0]?.virtualService).toEqual({ name: 'app', httpRouteName: 'primary' });
    expect(file.manifests.map((m) => [m.source, m.targets, m.objects.map((o) => `${o.kind}/${o.metadata.name}`)])).toEqual([
      ['manifests/app.yaml', ['prod-west', 'staging'], ['Deployment/app', 'Service/app', 'Service/app-preview', 'Service/app-internal']],
      ['manifests[1].inline', undefined, ['ConfigMap/shop-settings']],
    ]);
  });

  it('loads the blue/green file, services from the strategy or from trafficManagement', async () => {
    const { config, warnings } = await loadDeployFile(fixture('blue-green.yml'));
    expect(warnings).toEqual([]);
    expect(config.strategies.bg).toMatchObject({ kind: 'blueGreen', activeService: 'app', previewService: 'app-preview' });
    expect(config.strategies['bg-from-traffic']).toEqual({
      kind: 'blueGreen',
      name: 'bg-from-traffic',
      redirectTrafficAfter: [{ kind: 'pause', duration: { duration: 5, unit: 'minutes', ms: 300_000 }, untilApproved: false, requiresRoles: [] }],
      shutDownOldVersionAfter: [],
    });
    expect(config.trafficManagement[0]?.kubernetes).toEqual([{ activeService: 'app', previewService: 'app-preview' }]);
    expect(config.webhooks['security-scan']?.networkMode).toBe('remoteNetworkAgent');
  });

  it('fills in every default of the minimal file', async () => {
    const { config, manifests } = await loadDeployFile(fixture('minimal.yml'));
    expect(config).toEqual({
      version: 'v1',
      kind: 'kubernetes',
      application: 'hello',
      context: {},
      deploymentConfig: {
        timeout: { duration: 30, unit: 'minutes', ms: 1_800_000 },
        keepDeploymentObject: false,
        ifDeploymentInProgress: { strategy: 'reject' },
      },
      targets: {
        dev: { name: 'dev', account: 'kind-dev', namespace: 'hello', constraints: { dependsOn: [], beforeDeployment: [], afterDeployment: [] } },
      },
      manifests: [{ path: 'manifests-dir' }],
      strategies: {},
      analysis: { queries: {} },
      webhooks: {},
      trafficManagement: [],
    });
    expect(manifests.map((m) => m.source)).toEqual(['manifests-dir/a-config.yaml', 'manifests-dir/nested/b-deploy.yml']);
  });
});

describe('defaults', () => {
  it('fills analysis-step defaults', async () => {
    const file = await parseDeployFile(
      `${MINIMAL}analysis:\n  queries:\n    - {name: q, lowerLimit: 1, queryTemplate: up}\n` +
        'strategies:\n  c:\n    canary:\n      steps:\n        - analysis: {interval: 1, units: minutes, queries: [q]}\n',
    );
    const strategy = file.config.strategies.c;
    expect(strategy?.kind === 'canary' && strategy.steps[0]).toEqual({
      kind: 'analysis',
      context: {},
      interval: { duration: 1, unit: 'minutes', ms: 60_000 },
      numberOfJudgmentRuns: 1,
      rollBackMode: 'automatic',
      rollForwardMode: 'automatic',
      lookbackMethod: 'growing',
      abortOnFailedJudgment: false,
      queries: ['q'],
      judge: 'threshold',
      noData: 'fail',
    });
  });

  it('fills webhook defaults and upper-cases the method', async () => {
    const file = await parseDeployFile(`${MINIMAL}webhooks:\n  - {name: hook, method: post, uriTemplate: 'https://ci.example.com'}\n`);
    expect(file.config.webhooks.hook).toEqual({
      name: 'hook',
      method: 'POST',
      uriTemplate: 'https://ci.example.com',
      networkMode: 'direct',
      headers: [],
      retryCount: 0,
      disableCallback: false,
      callbackTimeout: { duration: 24, unit: 'hours', ms: 86_400_000 },
    });
  });

  it('fills traffic-management defaults: SMI names from the root service, Istio subsets, Gateway rule 0', async () => {
    const text = MINIMAL.replace('metadata: {name: settings}', 'metadata: {name: settings}\n      ---\n      {apiVersion: v1, kind: Service, metadata: {name: web}}');
    const file = await parseDeployFile(
      `${text}trafficManagement:\n  - smi: [{rootServiceName: web}]\n    istio: [{virtualService: {name: vs}, destinationRule: {name: dr}}]\n` +
        '    gatewayApi: [{httpRoute: {name: route}, stableService: web, canaryService: web-canary}]\n',
    );
    const [traffic] = file.config.trafficManagement;
    expect(traffic?.smi).toEqual([{ rootServiceName: 'web', canaryServiceName: 'web-canary', trafficSplitName: 'web' }]);
    expect(traffic?.istio).toEqual([{ virtualService: { name: 'vs' }, destinationRule: { name: 'dr', activeSubsetName: 'stable', canarySubsetName: 'canary' } }]);
    expect(traffic?.gatewayApi[0]?.httpRoute).toEqual({ name: 'route', ruleIndex: 0 });
    expect(traffic?.targets).toBeUndefined();
  });

  it('accepts exactly the 60-second minimum timeout', async () => {
    const file = await parseDeployFile(`${MINIMAL}deploymentConfig:\n  timeout: {duration: 1, unit: minutes}\n`);
    expect(file.config.deploymentConfig.timeout.ms).toBe(60_000);
  });
});

describe('warnings', () => {
  it('reports unknown keys with their path and a suggestion, and still loads', async () => {
    const file = await parseDeployFile(MINIMAL.replace('    namespace: shop\n', '    namespace: shop\n    stratgy: canary\n') + 'colour: blue\n', {
      path: 'deploy.yml',
    });
    expect(file.warnings).toEqual([
      {
        severity: 'warning',
        code: 'unknown_key',
        path: 'targets.prod.stratgy',
        message: 'unknown key "stratgy" (did you mean "strategy"?); it is ignored',
        file: 'deploy.yml',
        line: 6,
        column: 5,
      },
      { severity: 'warning', code: 'unknown_key', path: 'colour', message: 'unknown key "colour"; it is ignored', file: 'deploy.yml', line: 12, column: 1 },
    ]);
  });

  it('warns at load about a context variable the file does not define; --add-context may supply it', async () => {
    const file = await parseDeployFile(`${MINIMAL}webhooks:\n  - {name: hook, method: GET, uriTemplate: 'https://ci.example.com/{{context.build}}'}\n`);
    expect(file.warnings).toMatchObject([
      { severity: 'warning', code: 'undefined_context_variable', path: 'webhooks[0].uriTemplate', line: 12, column: 44 },
    ]);
    expect(file.warnings[0]?.message).toContain('"build"');
  });
});

describe('version and kind', () => {
  it('rejects kind lambda with a clear "not supported" error', async () => {
    const error = await parseDeployFile(`kind: lambda\n${MINIMAL}`).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(FerryInputError);
    expect((error as FerryInputError).message).toContain('<inline>:1:7 kind: kind "lambda" is not supported');
  });

  it('names the supported versions for any other version', async () => {
    const result = await validateDeployText(`version: v0\n${MINIMAL}`);
    expect(result.diagnostics.map((d) => d.message)).toEqual(['unsupported version "v0" (supported versions: v1)']);
  });
});

describe('validateDeployText', () => {
  it('returns every error at once, in source order, without throwing', async () => {
    const text = `application: 7
targets:
  prod:
    account: prod-cluster
    namespace: shop
    strategy: nope
manifests:
  - path: missing.yaml
`;
    const result = await validateDeployText(text, { baseDir: validDir });
    expect(result.file).toBeUndefined();
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.path}`)).toEqual(['1:14 application']);
    const second = await validateDeployText(text.replace('application: 7', 'application: shop'), { baseDir: validDir });
    expect(second.diagnostics.map((d) => `${d.line}:${d.column} ${d.path}: ${d.message}`)).toEqual([
      '6:15 targets.prod.strategy: unknown strategy "nope"',
      '8:11 manifests[0].path: manifest file "missing.yaml" does not exist',
    ]);
  });

  it('parseDeployFile throws one FerryInputError whose message lists every error', async () => {
    const text = MINIMAL.replace('application: shop', 'application: [shop]').replace('account: prod-cluster', 'account: 5');
    const error = (await parseDeployFile(text, { path: 'deploy.yml' }).catch((thrown: unknown) => thrown)) as FerryInputError;
    expect(error).toBeInstanceOf(FerryInputError);
    expect(error.diagnostics).toHaveLength(2);
    expect(error.message).toBe(
      'deploy.yml: 2 errors in the deployment file\n' +
        '  deploy.yml:1:14 application: expected a string, got a list\n' +
        '  deploy.yml:4:14 targets.prod.account: expected a string, got a number (5)',
    );
  });

  it('can skip manifest resolution', async () => {
    const result = await validateDeployText(MINIMAL.replace(/ {2}- inline[\s\S]*$/, '  - path: not-there.yaml\n'), { resolveManifests: false });
    expect(result.diagnostics).toEqual([]);
    expect(result.file?.manifests).toEqual([]);
  });
});
