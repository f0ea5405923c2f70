/**
 * The shapes `-o json|yaml` print, identical in local and hub mode: core's status views, which
 * are also the hub's REST payloads. Documented in docs/cli.md.
 */
import type {
  ApprovalViewV1,
  DeploymentStatusViewV1,
  DeploymentSummaryViewV1,
  EnvironmentStatusViewV1,
  EventViewV1,
  StepStatusViewV1,
} from '@ferry/core';

export type StepView = StepStatusViewV1;
export type ApprovalView = ApprovalViewV1;
export type EnvironmentView = EnvironmentStatusViewV1;
export type DeploymentView = DeploymentStatusViewV1;
export type DeploymentSummaryView = DeploymentSummaryViewV1;
export type EventView = EventViewV1;

export type DeploymentAction = 'approve' | 'reject' | 'skip' | 'rollback' | 'rollforward' | 'cancel';

export interface StartInput {
  /** The deployment file on disk; its manifests are read relative to it. */
  file: string;
  context: Record<string, string>;
  /** Deploy only these targets (and nothing else). */
  targets?: string[];
}

export interface ListFilter {
  application?: string;
  status?: string;
  target?: string;
  limit: number;
}

/** Pods of one target, grouped by version (the image tag), for the live view. */
export interface PodsByVersion {
  version: string;
  ready: number;
  desired: number;
}

/** What the deploy verbs need, answered by the in-process engine or by a hub. */
export interface Backend {
  readonly mode: 'local' | 'hub';
  start(input: StartInput): Promise<{ id: string; link: string | null }>;
  status(id: string): Promise<DeploymentView>;
  list(filter: ListFilter): Promise<DeploymentSummaryView[]>;
  /** Events after `afterSeq`, then live ones, until the deployment completes or `signal` aborts. */
  follow(id: string, afterSeq: number, onEvent: (event: EventView) => void, signal: AbortSignal): Promise<void>;
  act(id: string, action: DeploymentAction, input: { target?: string; comment?: string }): Promise<void>;
  redeploy(id: string): Promise<{ id: string; link: string | null }>;
  /** Local mode only: what runs in each target's namespace. */
  pods?(environment: EnvironmentView, application: string): Promise<PodsByVersion[]>;
  close(): Promise<void>;
}
