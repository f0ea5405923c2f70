/** Deployment (pipeline) statuses, compatible with Armory's API. */
export const DEPLOYMENT_STATUSES = [
  'QUEUED',
  'REJECTED',
  'RUNNING',
  'PAUSED',
  'AWAITING_APPROVAL',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const TARGET_STATUSES = [
  'PENDING',
  'RUNNING',
  'PAUSED',
  'AWAITING_APPROVAL',
  'ROLLING_BACK',
  'ROLLED_BACK',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'SKIPPED',
] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

/** Ferry's own per-step status (not part of Armory's API). */
export type StepStatus = 'PENDING' | 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';

const TERMINAL_DEPLOYMENT: ReadonlySet<DeploymentStatus> = new Set(['REJECTED', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
const TERMINAL_TARGET: ReadonlySet<TargetStatus> = new Set(['ROLLED_BACK', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED']);

export function isTerminalDeploymentStatus(status: DeploymentStatus): boolean {
  return TERMINAL_DEPLOYMENT.has(status);
}

export function isTerminalTargetStatus(status: TargetStatus): boolean {
  return TERMINAL_TARGET.has(status);
}

/** A deployment that holds its application's slot: started and not yet ended. */
export function isActiveDeploymentStatus(status: DeploymentStatus): boolean {
  return status !== 'QUEUED' && !TERMINAL_DEPLOYMENT.has(status);
}
