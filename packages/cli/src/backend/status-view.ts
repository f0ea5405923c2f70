import { deploymentStatusView, deploymentSummaryView, eventView as coreEventView, type DeploymentRecordV1, type DeploymentSummaryV1, type EngineEventV1 } from '@ferry/core';
import type { DeploymentSummaryView, DeploymentView, EventView } from './types.js';

/** Local mode's status payload: the hub's REST shape (core's status view) with no link. */
export function deploymentView(record: DeploymentRecordV1): DeploymentView {
  return deploymentStatusView(record, null);
}

export function summaryView(summary: DeploymentSummaryV1): DeploymentSummaryView {
  return deploymentSummaryView(summary, null);
}

export function eventView(event: EngineEventV1): EventView {
  return coreEventView(event);
}
