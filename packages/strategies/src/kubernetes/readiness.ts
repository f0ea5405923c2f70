import type { Duration, Json, KubeObject, StepOutcomeV1 } from '@ferry/core';
import { isReady, readyReplicas } from './replica-sets.js';

export interface ReadinessWait {
  /** The ReplicaSet as last read (its status is what counts). */
  replicaSet: KubeObject;
  desired: number;
}

export interface PollTiming {
  now: number;
  /** When the step first started; the timeout counts from here. */
  startedAt: number;
  timeout: Duration;
  pollIntervalMs: number;
}

/**
 * Null when every ReplicaSet has its desired replicas ready; otherwise `waiting` (poll
 * again in `pollIntervalMs`) or, once `deploymentConfig.timeout` has passed since the step
 * started, `failed` naming the ReplicaSets and their ready/desired counts.
 */
export function readinessOutcome(waits: ReadinessWait[], timing: PollTiming, persisted: { state: Json; strategyState: Json }): StepOutcomeV1 | null {
  const pending = waits.filter((w) => w.desired > 0 && !isReady(w.replicaSet, w.desired));
  if (pending.length === 0) return null;
  if (timing.now - timing.startedAt >= timing.timeout.ms) {
    const which = pending
      .map((w) => `ReplicaSet ${w.replicaSet.metadata.namespace}/${w.replicaSet.metadata.name} has ${readyReplicas(w.replicaSet)}/${w.desired} replicas ready`)
      .join('; ');
    return { status: 'failed', reason: `${which} after ${formatTimeout(timing.timeout)} (deploymentConfig.timeout)`, ...persisted };
  }
  return { status: 'waiting', ...persisted, wakeAt: timing.now + timing.pollIntervalMs };
}

export function formatTimeout(d: Duration): string {
  return `${d.duration} ${d.duration === 1 ? d.unit.replace(/s$/, '') : d.unit}`;
}
