import type { DeployFile } from '@ferry/core';
import type { TestNamespace } from '@ferry/devcluster/vitest';
import { sampleAppFile } from './deploy-file.js';

/** One target `dev` in the test's namespace, canary 50% then the given analysis step. */
export function judgedCanaryFile(ns: TestNamespace, image: string, analysisStep: string, queries: string): Promise<DeployFile> {
  return sampleAppFile({
    application: 'sample-app',
    image,
    replicas: 2,
    targets: `  dev:\n    account: ${ns.kubeConfig.getCurrentContext()}\n    namespace: ${ns.name}\n    strategy: judged`,
    strategies: `  judged:\n    canary:\n      steps:\n        - setWeight: 50\n        - analysis: ${analysisStep}`,
    queries,
  });
}

/**
 * The error-rate query of deploy-config.md: the 5xx share of one ReplicaSet's requests. A version
 * that never failed has no 5xx series at all, so this query has no data for it (noData: fail).
 */
export const ERROR_RATE_QUERY = `    - name: errorRate
      upperLimit: 0.05
      lowerLimit: 0
      queryTemplate: >-
        sum(rate(http_requests_total{code=~"5..",replicaset="{{armory.replicaSetName}}"}[30s]))
        / sum(rate(http_requests_total{replicaset="{{armory.replicaSetName}}"}[30s]))`;


/**
 * The same share, 0 when the ReplicaSet served requests but no 5xx series exists (a healthy
 * version): `or vector(0)` fills the missing numerator, the denominator still needs traffic.
 */
export function errorRateOrZero(window: string, limits = '      upperLimit: 0.05\n      lowerLimit: 0'): string {
  return `    - name: errorRate
${limits}
      queryTemplate: >-
        (sum(rate(http_requests_total{code=~"5..",replicaset="{{armory.replicaSetName}}"}[${window}])) or vector(0))
        / sum(rate(http_requests_total{replicaset="{{armory.replicaSetName}}"}[${window}]))`;
}
