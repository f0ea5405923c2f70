import { describe, expect, it } from 'vitest';
import { parseDeployFile } from '../config/index.js';
import { checkTemplateVariables } from './check-template-variables.js';

const FILE = `application: shop
context:
  team: storefront
targets:
  prod:
    account: prod-cluster
    namespace: shop
    strategy: c
manifests:
  - inline: "{apiVersion: v1, kind: ConfigMap, metadata: {name: settings}}"
strategies:
  c:
    canary:
      steps:
        - analysis: {interval: 1, units: minutes, queries: [errors], context: {region: eu}}
        - runWebhook: {name: notify}
analysis:
  queries:
    - name: errors
      upperLimit: 1
      queryTemplate: 'sum(x{team="{{context.team}}",region="{{context.region}}",rs="{{armory.replicaSetName}}"})'
webhooks:
  - name: notify
    method: POST
    uriTemplate: 'https://ci.example.com/{{ context.build }}'
    headers:
      - {key: Authorization, value: 'Bearer {{secrets.token}}'}
    bodyTemplate:
      inline: '{"id": "{{ferry.deploymentId}}", "cb": "{{armory.callbackUri}}"}'
`;

describe('checkTemplateVariables', () => {
  it('at load, warns about a context variable no context defines', async () => {
    const file = await parseDeployFile(FILE);
    expect(file.warnings.map((d) => `${d.path}: ${d.message}`)).toEqual([
      'webhooks[0].uriTemplate: context variable "build" is not defined in the file or the step; it must be given with --add-context at start',
    ]);
  });

  it('at start, with the merged context, an undefined context variable is an error', async () => {
    const { config } = await parseDeployFile(FILE);
    expect(checkTemplateVariables(config, { context: { team: 'storefront' } })).toEqual([
      { severity: 'error', code: 'undefined_context_variable', path: 'webhooks[0].uriTemplate', message: 'context variable "build" is not defined' },
    ]);
  });

  it('at start, a context that supplies the variable passes', async () => {
    const { config } = await parseDeployFile(FILE);
    expect(checkTemplateVariables(config, { context: { team: 'storefront', build: '42' } })).toEqual([]);
  });

  it('at start, the merged context replaces the file context', async () => {
    const { config } = await parseDeployFile(FILE);
    const problems = checkTemplateVariables(config, { context: { build: '42' } });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['analysis.queries[0].queryTemplate: context variable "team" is not defined']);
  });

  it('requires the variable in every step that uses the template', async () => {
    const text = FILE.replace('        - runWebhook: {name: notify}\n', '        - runWebhook: {name: notify}\n        - analysis: {interval: 1, units: minutes, queries: [errors]}\n');
    const { config } = await parseDeployFile(text);
    const problems = checkTemplateVariables(config, { context: { team: 'storefront', build: '1' } });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['analysis.queries[0].queryTemplate: context variable "region" is not defined']);
  });

  it('reports an unknown armory or ferry name as an error at the template path, with a suggestion', async () => {
    const { config } = await parseDeployFile(FILE);
    config.webhooks.notify = { ...config.webhooks.notify!, uriTemplate: 'https://x/{{armory.aplicationName}}/{{ferry.nonsense}}' };
    expect(checkTemplateVariables(config, { context: {} }).filter((p) => p.code === 'unknown_template_variable')).toEqual([
      {
        severity: 'error',
        code: 'unknown_template_variable',
        path: 'webhooks[0].uriTemplate',
        message: 'unknown template variable {{armory.aplicationName}} (did you mean "applicationName"?)',
      },
      { severity: 'error', code: 'unknown_template_variable', path: 'webhooks[0].uriTemplate', message: 'unknown template variable {{ferry.nonsense}}' },
    ]);
  });

  it('accepts every variable listed in deploy-config.md', async () => {
    const names = [
      'startTimeIso8601', 'startTimeEpochSeconds', 'startTimeEpochMillis', 'endTimeIso8601', 'endTimeEpochSeconds',
      'endTimeEpochMillis', 'intervalMillis', 'intervalSeconds', 'promQlStepInterval', 'deploymentId', 'applicationName',
      'environmentName', 'replicaSetName', 'accountName', 'namespace', 'callbackUri', 'preview.app-preview',
    ];
    const { config } = await parseDeployFile(FILE);
    config.analysis.queries.errors = { ...config.analysis.queries.errors!, queryTemplate: names.map((n) => `{{armory.${n}}} {{ ferry.${n} }}`).join(' ') };
    expect(checkTemplateVariables(config, { context: { build: '1' } })).toEqual([]);
  });
});
