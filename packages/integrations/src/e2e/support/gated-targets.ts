import type { DeployFile } from '@ferry/core';
import type { TestNamespace } from '@ferry/devcluster/vitest';
import { sampleAppFile } from './deploy-file.js';

export interface GatedTargets {
  staging: TestNamespace;
  prodEast: TestNamespace;
  prodWest: TestNamespace;
  /** The kube context (account) of each namespace's cluster. */
  accounts: { staging: string; prodEast: string; prodWest: string };
  /** Where the staging webhook goes. */
  jobUrl: string;
}

/**
 * staging → (prod-east, prod-west): an `afterDeployment` webhook with a callback on staging,
 * a `beforeDeployment` approval on each prod target.
 */
export function gatedFile(t: GatedTargets, image: string): Promise<DeployFile> {
  const target = (name: string, account: string, ns: TestNamespace, constraints: string) =>
    `  ${name}:\n    account: ${account}\n    namespace: ${ns.name}\n    strategy: quick\n    constraints:\n${constraints}`;
  const approval = '      dependsOn: [staging]\n      beforeDeployment:\n        - pause: {untilApproved: true}';
  return sampleAppFile({
    application: 'gated-app',
    image,
    replicas: 2,
    targets: [
      target('staging', t.accounts.staging, t.staging, '      afterDeployment:\n        - runWebhook: {name: stagingChecks}'),
      target('prod-east', t.accounts.prodEast, t.prodEast, approval),
      target('prod-west', t.accounts.prodWest, t.prodWest, approval),
    ].join('\n'),
    strategies: '  quick:\n    canary:\n      steps:\n        - setWeight: 50',
    webhooks: `  - name: stagingChecks
    method: POST
    uriTemplate: ${t.jobUrl}
    networkMode: direct
    bodyTemplate:
      inline: '{"callbackUri": "{{armory.callbackUri}}", "environment": "{{armory.environmentName}}"}'`,
  });
}
