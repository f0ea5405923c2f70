import type {
  AnalysisStep,
  DeployConfig,
  DeployFile,
  Duration,
  KubeObject,
  PauseStep,
  QueryConfig,
  StepConfig,
  TargetConfig,
} from '../config/types.js';

/**
 * Normalized deploy files for tests, built in code (what the loader would produce), with
 * every default filled in so a test states only what it is about.
 */
export function seconds(n: number): Duration {
  return { duration: n, unit: 'seconds', ms: n * 1000 };
}

export function testTarget(name: string, options: { strategy?: string; dependsOn?: string[]; before?: StepConfig[]; after?: StepConfig[]; account?: string } = {}): TargetConfig {
  return {
    name,
    account: options.account ?? `${name}-cluster`,
    namespace: 'shop',
    ...(options.strategy !== undefined ? { strategy: options.strategy } : {}),
    constraints: { dependsOn: options.dependsOn ?? [], beforeDeployment: options.before ?? [], afterDeployment: options.after ?? [] },
  };
}

export function timedPause(secs: number): PauseStep {
  return { kind: 'pause', duration: seconds(secs), untilApproved: false, requiresRoles: [] };
}

export function approvalPause(options: { roles?: string[]; expiresAfterSeconds?: number } = {}): PauseStep {
  return {
    kind: 'pause',
    untilApproved: true,
    requiresRoles: options.roles ?? [],
    ...(options.expiresAfterSeconds !== undefined ? { approvalExpiration: seconds(options.expiresAfterSeconds) } : {}),
  };
}

export function analysisStep(options: Partial<AnalysisStep> & { queries: string[] }): AnalysisStep {
  return {
    kind: 'analysis',
    context: {},
    interval: seconds(60),
    numberOfJudgmentRuns: 1,
    rollBackMode: 'automatic',
    rollForwardMode: 'automatic',
    lookbackMethod: 'growing',
    abortOnFailedJudgment: false,
    judge: 'threshold',
    noData: 'fail',
    ...options,
  };
}

export function testQuery(name: string, options: Partial<QueryConfig> = {}): QueryConfig {
  return { name, queryTemplate: `${name}{rs="{{armory.replicaSetName}}",app="{{armory.applicationName}}"}[{{armory.promQlStepInterval}}]`, upperLimit: 10, ...options };
}

export const testDeployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 4, template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } },
};

export function testDeployFile(config: Partial<DeployConfig> & { targets: Record<string, TargetConfig> }, objects: KubeObject[] = [testDeployment]): DeployFile {
  const full: DeployConfig = {
    version: 'v1',
    kind: 'kubernetes',
    application: 'app',
    context: {},
    deploymentConfig: {
      timeout: { duration: 30, unit: 'minutes', ms: 30 * 60_000 },
      keepDeploymentObject: false,
      ifDeploymentInProgress: { strategy: 'reject' },
    },
    manifests: [{ inline: '(built in code)' }],
    strategies: {},
    analysis: { queries: {} },
    webhooks: {},
    trafficManagement: [],
    ...config,
  };
  return { path: '<test>', config: full, manifests: [{ source: 'manifests[0].inline', objects }], warnings: [] };
}
