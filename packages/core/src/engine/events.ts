import { EventEmitter } from 'eventemitter3';
import type { EngineEventV1 } from '../plugins/contracts.js';

/** Event types the engine itself emits; plugins may append more (e.g. `webhook.called`). */
export const ENGINE_EVENT_TYPES = [
  'deployment.started',
  'deployment.queued',
  'deployment.completed',
  'target.started',
  'target.completed',
  'target.rollingBack',
  'target.rolledBack',
  'step.started',
  'step.completed',
  'step.failed',
  'step.waiting',
  'approval.requested',
  'approval.granted',
  'approval.rejected',
  'analysis.measured',
] as const;
export type EngineEventType = (typeof ENGINE_EVENT_TYPES)[number];

/** Listener map: one entry per engine event type, `*` receives every event (plugin ones too). */
export type EngineEventMap = { [K in EngineEventType | '*']: (event: EngineEventV1) => void };

export type EngineEvents = EventEmitter<EngineEventMap>;

export function createEngineEvents(): EngineEvents {
  return new EventEmitter<EngineEventMap>();
}
