import { deploymentStatusView, deploymentSummaryView, eventView, type DeploymentRecordV1, type DeploymentSummaryV1, type EngineEventV1 } from '@ferry/core';
import type { DeploymentEventPayload, DeploymentStatusPayload, DeploymentSummaryPayload } from './deployment-schemas.js';

export { pendingApproval } from '@ferry/core';

/** `/api/v1/deployments/<id>` under the hub's base URL: where people and tools find a deployment. */
export function deploymentLink(baseUrl: string, id: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v1/deployments/${encodeURIComponent(id)}`;
}

/** The status payload: core's status view (shared with the CLI and console) with the hub's link. */
export function deploymentStatusPayload(record: DeploymentRecordV1, baseUrl: string): DeploymentStatusPayload {
  const link = deploymentLink(baseUrl, record.id);
  return { ...deploymentStatusView(record, link), link };
}

export function deploymentSummaryPayload(summary: DeploymentSummaryV1, baseUrl: string): DeploymentSummaryPayload {
  const link = deploymentLink(baseUrl, summary.id);
  return { ...deploymentSummaryView(summary, link), link };
}

export function eventPayload(event: EngineEventV1): DeploymentEventPayload {
  return eventView(event);
}
