/**
 * The normalized deployment file: what the loader produces after parsing, validating and
 * applying every tolerance rule of deploy-config.md. The engine and plugins only ever see
 * this shape, never the raw YAML: aliases (`unit`/`units`, `setWeight: 25`, ...) are gone,
 * defaults are filled in, lists keyed by name are maps.
 */
import type { Diagnostic } from '../errors/ferry-error.js';

export type TimeUnit = 'seconds' | 'minutes' | 'hours';

/** A duration as written in the file, plus its length in milliseconds. */
export interface Duration {
  duration: number;
  unit: TimeUnit;
  ms: number;
}

export interface DeployConfig {
  version: 'v1';
  kind: 'kubernetes';
  application: string;
  description?: string;
  /** User variables, `{{context.NAME}}`. Values given at start time are merged over these. */
  context: Record<string, string>;
  deploymentConfig: DeploymentSettings;
  targets: Record<string, TargetConfig>;
  manifests: ManifestSource[];
  strategies: Record<string, StrategyConfig>;
  analysis: AnalysisConfig;
  webhooks: Record<string, WebhookConfig>;
  trafficManagement: TrafficManagementConfig[];
}

export interface DeploymentSettings {
  /** How long pods may take to become ready. Default 30 minutes, minimum 60 seconds. */
  timeout: Duration;
  keepDeploymentObject: boolean;
  ifDeploymentInProgress: { strategy: 'reject' | 'enqueueOne' };
}

export interface TargetConfig {
  name: string;
  /** Agent identifier in hub mode; kube context name in local mode. */
  account: string;
  namespace: string;
  /** A key of `strategies`; absent = apply manifests without a rollout strategy. */
  strategy?: string;
  constraints: {
    dependsOn: string[];
    beforeDeployment: StepConfig[];
    afterDeployment: StepConfig[];
  };
}

export type ManifestSource =
  | { path: string; targets?: string[] }
  | { inline: string; targets?: string[] };

export type StrategyConfig = CanaryStrategyConfig | BlueGreenStrategyConfig;

export interface CanaryStrategyConfig {
  kind: 'canary';
  name: string;
  steps: StepConfig[];
}

export interface BlueGreenStrategyConfig {
  kind: 'blueGreen';
  name: string;
  /** Resolved from the strategy block or from `trafficManagement[].kubernetes` of the target. */
  activeService?: string;
  previewService?: string;
  redirectTrafficAfter: StepConfig[];
  shutDownOldVersionAfter: StepConfig[];
}

export type StepConfig =
  | SetWeightStep
  | PauseStep
  | AnalysisStep
  | RunWebhookStep
  | ExposeServicesStep
  | CustomStep;

export interface SetWeightStep {
  kind: 'setWeight';
  weight: number;
}

export interface PauseStep {
  kind: 'pause';
  /** A timed pause (a person may skip it). */
  duration?: Duration;
  untilApproved: boolean;
  requiresRoles: string[];
  /** Unapproved past this, the target is cancelled and rolled back. */
  approvalExpiration?: Duration;
}

export interface AnalysisStep {
  kind: 'analysis';
  metricProviderName?: string;
  context: Record<string, string>;
  interval: Duration;
  numberOfJudgmentRuns: number;
  rollBackMode: 'automatic' | 'manual';
  rollForwardMode: 'automatic' | 'manual';
  lookbackMethod: 'growing' | 'sliding';
  abortOnFailedJudgment: boolean;
  /** Names from `analysis.queries`. */
  queries: string[];
  /** [ext] */
  judge: 'threshold' | 'mannWhitney';
  /** [ext] */
  noData: 'fail' | 'pass' | 'pause';
}

export interface RunWebhookStep {
  kind: 'runWebhook';
  /** A name from `webhooks`. */
  name: string;
  context: Record<string, string>;
}

export interface ExposeServicesStep {
  kind: 'exposeServices';
  services: string[];
  ttl?: Duration;
}

/** [ext] `- custom: {kind: NAME, config: {...}}`: a step kind contributed by a plugin. */
export interface CustomStep {
  kind: 'custom';
  stepKind: string;
  config: unknown;
}

export interface AnalysisConfig {
  defaultMetricProviderName?: string;
  queries: Record<string, QueryConfig>;
}

export interface QueryConfig {
  name: string;
  upperLimit?: number;
  lowerLimit?: number;
  metricProviderName?: string;
  queryTemplate: string;
}

export interface WebhookConfig {
  name: string;
  method: string;
  uriTemplate: string;
  networkMode: 'direct' | 'remoteNetworkAgent';
  agentIdentifier?: string;
  headers: Array<{ key: string; value: string }>;
  bodyTemplate?: { inline: string };
  retryCount: number;
  disableCallback: boolean;
  /** [ext] How long to wait for the callback. Default 24 hours. */
  callbackTimeout: Duration;
}

export interface TrafficManagementConfig {
  /** Absent = all targets. */
  targets?: string[];
  smi: Array<{ rootServiceName: string; canaryServiceName: string; trafficSplitName: string }>;
  istio: Array<{
    virtualService: { name: string; httpRouteName?: string };
    destinationRule: { name: string; activeSubsetName: string; canarySubsetName: string };
  }>;
  kubernetes: Array<{ activeService: string; previewService: string }>;
  gatewayApi: Array<{
    httpRoute: { name: string; ruleIndex: number };
    stableService: string;
    canaryService: string;
  }>;
  nginx: Array<{ ingress: string; stableService: string; canaryService: string }>;
}

/** A Kubernetes object as found in a manifest (loosely typed on purpose: any kind may be deployed). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One manifest entry after resolution: the parsed objects and where they came from. */
export interface ResolvedManifest {
  /** File path (relative to the deploy file), URL, or `manifests[i].inline`. */
  source: string;
  /** Absent = all targets. */
  targets?: string[];
  objects: KubeObject[];
}

/** What `loadDeployFile` returns and `engine.start` takes. */
export interface DeployFile {
  /** Absolute path of the file, or a label such as `<inline>` for text given directly. */
  path: string;
  config: DeployConfig;
  manifests: ResolvedManifest[];
  warnings: Diagnostic[];
}
