// Original file: proto/ferry/agenthub/v1/agent_hub.proto

import type { HubMessage as _ferry_agenthub_v1_HubMessage, HubMessage__Output as _ferry_agenthub_v1_HubMessage__Output } from '../../../ferry/agenthub/v1/HubMessage.js';

/**
 * The frames the hub wrote to one agent during one turn of its event loop.
 */
export interface HubBatch {
  'frames'?: (_ferry_agenthub_v1_HubMessage)[];
}

/**
 * The frames the hub wrote to one agent during one turn of its event loop.
 */
export interface HubBatch__Output {
  'frames': (_ferry_agenthub_v1_HubMessage__Output)[];
}
