/**
 * @ferry/core — the public API. Everything a user or plugin author may import is named here;
 * anything not exported is internal and may change without notice.
 */

// --- errors ---
export {
  FerryError,
  FerryInputError,
  FerryNotFoundError,
  FerryConflictError,
  FerryUnauthenticatedError,
  FerryForbiddenError,
  FerryUnavailableError,
  isFerryError,
  toFerryError,
  formatDiagnostic,
  httpStatusOf,
  grpcStatusOf,
  GrpcStatus,
  type Diagnostic,
  type FerryErrorOptions,
} from './errors/index.js';

// --- deployment file (config) ---
export type {
  TimeUnit,
  Duration,
  DeployConfig,
  DeploymentSettings,
  TargetConfig,
  ManifestSource,
  StrategyConfig,
  CanaryStrategyConfig,
  BlueGreenStrategyConfig,
  StepConfig,
  SetWeightStep,
  PauseStep,
  AnalysisStep,
  RunWebhookStep,
  ExposeServicesStep,
  CustomStep,
  AnalysisConfig,
  QueryConfig,
  WebhookConfig,
  TrafficManagementConfig,
  KubeObject,
  ResolvedManifest,
  DeployFile,
} from './config/types.js';
// (loader helper: add loader/templating exports here)
export {
  parseDeployFile,
  loadDeployFile,
  validateDeployText,
  validateDeployFile,
  formatLocated,
  formatKeyPath,
  SUPPORTED_VERSIONS,
  SUPPORTED_KINDS,
  DEFAULT_TIMEOUT,
  MIN_TIMEOUT_MS,
  makeDuration,
  type DeployFileOptions,
  type DeployFileValidation,
  type KeyPath,
} from './config/index.js';
export {
  renderTemplate,
  findTemplateVariables,
  checkTemplateVariables,
  findTemplateProblems,
  BUILT_IN_VARIABLES,
  isBuiltInVariable,
  type TemplateValues,
  type RenderOptions,
  type TemplateVariable,
  type TemplateNamespace,
  type TemplateCheckOptions,
  type TemplateProblem,
  type BuiltInVariable,
} from './template/index.js';

// --- plugin contracts ---
export type {
  SpecificationVersion,
  Json,
  LoggerV1,
  ClockV1,
  ObjectRef,
  ClusterClientV1,
  ClusterTarget,
  ClusterConnectorV1,
  ApprovalRequestV1,
  PluginEventV1,
  StepOutcomeV1,
  DecisionV1,
  CallbackV1,
  HttpRequestV1,
  HttpResponseV1,
  HttpTransportV1,
  StepVariablesV1,
  StepContextV1,
  PlannedStepV1,
  PlannedStageV1,
  StepKindV1,
  RollbackContextV1,
  StrategyV1,
  TrafficContextV1,
  TrafficProviderV1,
  MetricWindowV1,
  MetricResultV1,
  MetricProviderV1,
  MeasurementV1,
  VerdictV1,
  JudgeV1,
  NotifierV1,
  EngineEventV1,
} from './plugins/contracts.js';
// (engine helper: add engine, plan, store, plugin registry exports here)
// --- plugin SDK ---
export { definePlugin, type FerryPluginV1, type PluginContextV1, type ContributionSlotV1 } from './plugins/define-plugin.js';
export { PluginRegistry } from './plugins/registry.js';
export { createPluginRegistry } from './plugins/create-registry.js';
export { parsePluginOptions } from './plugins/plugin-options.js';
// --- plan ---
export { buildPlan, APPLY_STEP_KIND } from './plan/build-plan.js';
export { renderPlan } from './plan/render-plan.js';
export { describeStep } from './plan/describe-step.js';
export { topologicalOrder } from './plan/topological-order.js';
export type { PlanV1, PlanTargetV1, PlanStageV1, StagePhase } from './plan/types.js';
// --- store ---
export type {
  StoreV1,
  DeploymentRecordV1,
  DeploymentSummaryV1,
  DeploymentSpecV1,
  DeploymentStateV1,
  TargetStateV1,
  StepStateV1,
  PendingApprovalV1,
  LeaseV1,
  NewEventV1,
  DeploymentFilterV1,
  UpdateResultV1,
  CreateResultV1,
} from './store/contracts.js';
export { DEFAULT_TENANT, tenantOf } from './store/contracts.js';
export {
  DEPLOYMENT_STATUSES,
  TARGET_STATUSES,
  isTerminalDeploymentStatus,
  isTerminalTargetStatus,
  isActiveDeploymentStatus,
  type DeploymentStatus,
  type TargetStatus,
  type StepStatus,
} from './store/statuses.js';
// --- engine ---
export { createEngine, type CreateEngineOptions, type FerryEngine } from './engine/create-engine.js';
export type { StartOptions } from './engine/engine.js';
export type { DeploymentScope } from './engine/engine-settings.js';
export type { ActionInput } from './engine/person-actions.js';
export type { CallbackInput } from './engine/callbacks.js';
export type { NotificationSettings } from './engine/notifier-dispatch.js';
export { ENGINE_EVENT_TYPES, type EngineEventType, type EngineEventMap, type EngineEvents } from './engine/events.js';
export { systemClock } from './engine/system-clock.js';
export { silentLogger } from './engine/silent-logger.js';
export { pauseStepKind } from './engine/steps/pause.js';
export { analysisStepKind } from './engine/steps/analysis.js';
export { applyStepKind, FIELD_MANAGER } from './engine/steps/apply.js';
export { manifestsForTarget, applyOrder, isClusterScoped } from './engine/target-manifests.js';
export { waitForCrdsEstablished, type WaitForCrdsOptions } from './engine/crd-established.js';
// --- status views (REST payloads, CLI output, console) ---
export {
  deploymentStatusView,
  deploymentSummaryView,
  eventView,
  pendingApproval,
  type DeploymentStatusViewV1,
  type DeploymentSummaryViewV1,
  type EnvironmentStatusViewV1,
  type StepStatusViewV1,
  type ApprovalViewV1,
  type EventViewV1,
} from './status/deployment-status-view.js';
