import type { DeploymentRecordV1, DeploymentSummaryV1 } from '@ferry/core';

export interface SpinnakerStatusPayload {
  id: string;
  application: string;
  /** The deployment's status: Orca's `statusJsonPath: $.status`. */
  status: string;
  /** One line for the stage's progress (`progressJsonPath: $.progress`). */
  progress: string;
  reason: string | null;
  statusUrl: string;
  targets: Array<{ name: string; status: string; reason: string | null }>;
}

/** The status Orca polls: the deployment's status, a progress line and each target's state. */
export function statusPayload(record: DeploymentRecordV1 | DeploymentSummaryV1, statusUrl: string): SpinnakerStatusPayload {
  const targets = Object.entries(record.state.targets).map(([name, t]) => ({ name, status: t.status, reason: t.reason ?? null }));
  return {
    id: record.id,
    application: record.application,
    status: record.state.status,
    progress: targets.map((t) => `${t.name}: ${t.status}`).join(', ') || record.state.status,
    reason: record.state.reason ?? null,
    statusUrl,
    targets,
  };
}
