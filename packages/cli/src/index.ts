export { runCli, createProgram } from './program.js';
export { ExitCode } from './exit-codes.js';
export { processIO, type CliIO } from './io.js';
// The live view of a running deployment (the demo shows it too).
export {
  LiveView,
  watchDeployment,
  renderFrame,
  eventLine,
  blockerOf,
  applyEvent,
  initialLiveState,
  SPINNER,
  engineSource,
  type LiveSource,
  type LiveViewOptions,
  type WatchOptions,
  type FrameOptions,
  type Blocker,
  type LiveState,
  type AnalysisValue,
} from './live/index.js';
export { deploymentView, eventView, summaryView } from './backend/status-view.js';
export { openLocalBackend, type LocalBackendOptions } from './backend/local-backend.js';
export type {
  Backend,
  DeploymentView,
  DeploymentSummaryView,
  EnvironmentView,
  StepView,
  ApprovalView,
  EventView,
  PodsByVersion,
  DeploymentAction,
} from './backend/types.js';
export { kubernetesTemplate, TEMPLATE_STRATEGIES, TEMPLATE_FEATURES, type TemplateStrategy, type TemplateFeature } from './templates/kubernetes.js';
export { renderCliReference } from './docs/cli-reference.js';
