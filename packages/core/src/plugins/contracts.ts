/**
 * Ferry's plugin contracts, version 1. Each is a plain object made by a factory: no base
 * classes, no decorators, no knowledge of the DI container. A v2 will sit beside v1.
 *
 * Plugins are pure with respect to the engine's state: they return outcomes and the engine
 * persists them. That is what lets a deployment resume after a crash with third-party
 * plugins in the loop: a step is re-run with the state its last persisted outcome carried.
 */
import type {
  AnalysisStep,
  DeployConfig,
  KubeObject,
  StepConfig,
  StrategyConfig,
  TargetConfig,
  TrafficManagementConfig,
} from '../config/types.js';

export type SpecificationVersion = 'v1';

/** JSON-serializable data: everything a plugin hands back for the engine to persist. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A pino-compatible logger subset. */
export interface LoggerV1 {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): LoggerV1;
}

/** Time, injectable so that tests and benchmarks can fast-forward. */
export interface ClockV1 {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// ---------------------------------------------------------------------------------------
// Clusters

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * A dynamic Kubernetes client for one cluster: enough for server-side apply and everything
 * strategies and traffic providers do. Implemented over a kubeconfig, over the hub→agent
 * relay, or in memory for unit tests; the engine cannot tell them apart.
 */
export interface ClusterClientV1 {
  /** Server-side apply with the given field manager. Returns the object as stored. */
  apply(object: KubeObject, options: { fieldManager: string; force?: boolean; signal?: AbortSignal }): Promise<KubeObject>;
  get(ref: ObjectRef, options?: { signal?: AbortSignal }): Promise<KubeObject | null>;
  list(
    query: { apiVersion: string; kind: string; namespace?: string; labelSelector?: string },
    options?: { signal?: AbortSignal },
  ): Promise<KubeObject[]>;
  /** JSON merge patch (RFC 7386). Throws FerryNotFoundError when the object is absent. */
  patch(ref: ObjectRef, patch: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<KubeObject>;
  /** Returns false when the object was already gone. */
  delete(ref: ObjectRef, options?: { signal?: AbortSignal; propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' }): Promise<boolean>;
}

export interface ClusterTarget {
  account: string;
  namespace: string;
  /** The deployment's tenant (`default` for an embedded engine); a hub's connectors reach only that tenant's accounts. */
  tenant?: string;
}

export interface ClusterConnectorV1 {
  specificationVersion: SpecificationVersion;
  kind: string;
  /**
   * Whether this connector reaches the given account (kube context, agent identifier...)
   * for the given tenant (absent: `default`). Connectors that know no tenants ignore it.
   */
  handles(account: string, tenant?: string): boolean;
  client(target: ClusterTarget, options?: { signal?: AbortSignal }): Promise<ClusterClientV1>;
}

// ---------------------------------------------------------------------------------------
// Steps

export interface ApprovalRequestV1 {
  /** What a person is asked: approve a pause, or decide after a manual-mode analysis. */
  kind: 'pause' | 'rollForward' | 'rollBack';
  message: string;
  requiresRoles: string[];
  /** Epoch ms; when passed the engine cancels and rolls back the target. */
  expiresAt?: number;
}

/** An event a plugin asks the engine to append to the deployment's log. */
export interface PluginEventV1 {
  type: string;
  data: Record<string, Json>;
}

export type StepOutcomeV1 =
  | {
      status: 'succeeded';
      state?: Json;
      events?: PluginEventV1[];
      /**
       * The remaining steps of this strategy are skipped (except those planned with
       * `alwaysRun`). Used on an application's first deployment: no stable version, so the
       * new one goes straight to 100%.
       */
      skipRemainingSteps?: boolean;
      /** Replaces the target's `strategyState` (strategy steps only; additive in v1). */
      strategyState?: Json;
    }
  | { status: 'failed'; reason: string; state?: Json; events?: PluginEventV1[]; strategyState?: Json }
  | {
      status: 'waiting';
      /** Persisted; handed back as `ctx.state` when the step runs again. */
      state: Json;
      /** Run the step again at this time (epoch ms). */
      wakeAt?: number;
      /** Wait for a person; the step runs again when they act, with `ctx.decision` set. */
      approval?: ApprovalRequestV1;
      events?: PluginEventV1[];
      strategyState?: Json;
    };

/** A person's answer to an approval, handed to the step that asked. */
export interface DecisionV1 {
  action: 'approve' | 'reject' | 'skip' | 'rollForward' | 'rollBack';
  by: string;
  at: number;
  comment?: string;
}

/**
 * An external system's answer to a waiting step (a webhook's callback), persisted by the
 * engine like a person's decision and handed to the step on its next run.
 */
export interface CallbackV1 {
  success: boolean;
  /** Markdown from the external system, for people. */
  mdMessage?: string;
  /** Epoch ms when the engine received it. */
  at: number;
  /** Who called back (a client id, or `callback-token` when the per-step token was the credential). */
  by: string;
}

/** Template variables available to a step (`{{armory.X}}`, `{{context.X}}`; secrets are resolved lazily). */
export interface StepVariablesV1 {
  armory: Record<string, string>;
  context: Record<string, string>;
}

export interface StepContextV1 {
  deploymentId: string;
  /** The deployment's tenant (`default` for an embedded engine). */
  tenant?: string;
  application: string;
  target: TargetConfig;
  config: DeployConfig;
  /** Stable id of the step within the plan, e.g. `prod/strategy/3`. */
  stepId: string;
  step: PlannedStepV1;
  /** The state the step's previous run returned; undefined on its first run. */
  state: Json | undefined;
  /** Set when a person acted on this step's approval request. */
  decision?: DecisionV1;
  /** Set when an external system called back (`engine.callback`) since the step's last run. */
  callback?: CallbackV1;
  /**
   * Mints an unguessable token that `engine.callback` accepts for this step until it ends.
   * The engine persists only the token's hash before resolving, so a token handed out is
   * valid even if the engine crashes right after; every token minted for the step stays
   * valid (a re-run after a crash may mint another). Optional: engines and test harnesses
   * without callbacks leave it out.
   */
  issueCallbackToken?(): Promise<string>;
  /** When this step first started (epoch ms). */
  startedAt: number;
  attempt: number;
  now(): number;
  signal: AbortSignal;
  logger: LoggerV1;
  /** The target's cluster. */
  cluster(): Promise<ClusterClientV1>;
  /** The manifests for this target, with the target's namespace applied. */
  manifests: KubeObject[];
  trafficManagement: TrafficManagementConfig[];
  variables: StepVariablesV1;
  /** Resolves `{{secrets.NAME}}`; only plugins that send outgoing requests need it. */
  secret(name: string): Promise<string>;
  /** State persisted by this target's strategy (e.g. the canary/stable ReplicaSet names). */
  strategyState: Json | undefined;
  metricProvider(name: string | undefined): MetricProviderV1;
  judge(kind: string): JudgeV1;
  /** The registered traffic provider for a `trafficManagement` key (`smi`, `istio`, ...). */
  trafficProvider(kind: string): TrafficProviderV1 | undefined;
}

/** A planned step. `runner` says who executes it: the target's strategy or a step kind. */
export interface PlannedStepV1 {
  id: string;
  /** Step kind name, e.g. `setWeight`, `pause`, `analysis`, `runWebhook`, `deploy`, `promote`. */
  kind: string;
  runner: 'strategy' | 'stepKind';
  /** Human-readable one-liner for plan renderings and UIs. */
  title: string;
  config: StepConfig | Record<string, Json>;
  /** Runs even when an earlier step asked to skip the remaining ones (e.g. final promotion). */
  alwaysRun?: boolean;
}

/** Steps in one stage run in parallel; stages run in order. */
export interface PlannedStageV1 {
  name: string;
  steps: PlannedStepV1[];
}

export interface StepKindV1 {
  specificationVersion: SpecificationVersion;
  /** The step name in the deploy file (`runWebhook`, `pause`, ...) or a custom kind. */
  kind: string;
  /** Validates the step's config; throws FerryInputError naming the path. Returns the parsed config. */
  validate?(config: unknown, ctx: { path: string; config: DeployConfig }): unknown;
  run(ctx: StepContextV1): Promise<StepOutcomeV1>;
}

// ---------------------------------------------------------------------------------------
// Strategies

export interface RollbackContextV1 {
  deploymentId: string;
  target: TargetConfig;
  config: DeployConfig;
  strategyState: Json | undefined;
  manifests: KubeObject[];
  trafficManagement: TrafficManagementConfig[];
  cluster(): Promise<ClusterClientV1>;
  trafficProvider(kind: string): TrafficProviderV1 | undefined;
  signal: AbortSignal;
  logger: LoggerV1;
  now(): number;
}

export interface StrategyV1 {
  specificationVersion: SpecificationVersion;
  /** `canary`, `blueGreen`, or a custom strategy kind. */
  kind: string;
  /** Turns a strategy block into stages. Pure. */
  plan(block: StrategyConfig, ctx: { target: TargetConfig; config: DeployConfig }): PlannedStageV1[];
  /** Runs a step planned with `runner: 'strategy'`. Must be idempotent. */
  runStep(ctx: StepContextV1): Promise<StepOutcomeV1>;
  /** Traffic back to stable, then the new version scaled down. Idempotent. */
  rollback(ctx: RollbackContextV1): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Traffic

export interface TrafficContextV1 {
  cluster: ClusterClientV1;
  namespace: string;
  /** The provider's own block from `trafficManagement`, e.g. one `smi` entry. */
  config: Json;
  stable: { replicaSetName?: string; podTemplateHash?: string };
  canary: { replicaSetName: string; podTemplateHash: string };
  /** What `prepare` returned (the user's original objects, to restore later). */
  state: Json | undefined;
  signal: AbortSignal;
}

export interface TrafficProviderV1 {
  specificationVersion: SpecificationVersion;
  /** The key under `trafficManagement[]`: `smi`, `istio`, `gatewayApi`, `nginx`, ... */
  kind: string;
  /** Creates what is missing; returns what must be remembered to restore the originals. */
  prepare(ctx: TrafficContextV1): Promise<Json>;
  setWeight(ctx: TrafficContextV1, weight: number): Promise<void>;
  verifyWeight(ctx: TrafficContextV1, weight: number): Promise<boolean>;
  restore(ctx: TrafficContextV1): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Metrics and judgment

export interface MetricWindowV1 {
  /** Epoch ms. */
  start: number;
  end: number;
  /** Resolution for range queries, in seconds. */
  stepSeconds: number;
}

export interface MetricResultV1 {
  /** One number for the window, or null when the query returned no data. */
  value: number | null;
  /** The series over the window, for statistical judges. */
  series?: number[];
  /** The provider's raw answer, stored with the measurement for people to inspect. */
  raw?: Json;
}

export interface MetricProviderV1 {
  specificationVersion: SpecificationVersion;
  kind: string;
  /** The name deploy files refer to (`metricProviderName`). */
  name: string;
  query(input: { query: string; window: MetricWindowV1; signal: AbortSignal }): Promise<MetricResultV1>;
  testConnection(input: { signal: AbortSignal }): Promise<{ ok: boolean; message?: string }>;
}

export interface MeasurementV1 {
  query: string;
  /** The query text after templating. */
  rendered: string;
  lowerLimit?: number;
  upperLimit?: number;
  canary: MetricResultV1;
  /** The stable version's result, for comparative judges. */
  baseline?: MetricResultV1;
}

export interface VerdictV1 {
  verdict: 'pass' | 'fail' | 'noData';
  /** 0–100 where the judge scores. */
  score?: number;
  /** Why: one line per metric or rule, for people. */
  reasons: string[];
  perMetric: Array<{ query: string; result: 'pass' | 'high' | 'low' | 'noData'; detail: Record<string, Json> }>;
}

export interface JudgeV1 {
  specificationVersion: SpecificationVersion;
  kind: string;
  judge(input: { measurements: MeasurementV1[]; step: AnalysisStep }): VerdictV1;
}

// ---------------------------------------------------------------------------------------
// Outgoing HTTP

/** One outgoing HTTP request, already rendered. Headers and body may carry secrets: never log them. */
export interface HttpRequestV1 {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponseV1 {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends HTTP requests on a plugin's behalf: directly from the engine's process, or relayed
 * through a Remote Network Agent inside a cluster. Network failures reject; any HTTP status
 * resolves. Must honour the signal.
 */
export interface HttpTransportV1 {
  specificationVersion: SpecificationVersion;
  /** `direct`, `remoteNetworkAgent`, ... */
  kind: string;
  send(request: HttpRequestV1, options: { signal: AbortSignal }): Promise<HttpResponseV1>;
}

// ---------------------------------------------------------------------------------------
// Notifications

export interface NotifierV1 {
  specificationVersion: SpecificationVersion;
  kind: string;
  name: string;
  /** Which event types it wants; absent = all. */
  events?: string[];
  notify(event: EngineEventV1, options: { signal: AbortSignal }): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Events

export interface EngineEventV1 {
  /** Position in the deployment's append-only log, from 1. Assigned by the store. */
  seq: number;
  deploymentId: string;
  type: string;
  at: number;
  target?: string;
  stepId?: string;
  data: Record<string, Json>;
}
