// Original file: proto/ferry/agenthub/v1/agent_hub.proto

import type { AgentMessage as _ferry_agenthub_v1_AgentMessage, AgentMessage__Output as _ferry_agenthub_v1_AgentMessage__Output } from '../../../ferry/agenthub/v1/AgentMessage.js';

/**
 * The frames an agent wrote during one turn of its event loop: a small relayed response
 * (head, body, end) and the frames of concurrent requests share one gRPC message.
 */
export interface AgentBatch {
  'frames'?: (_ferry_agenthub_v1_AgentMessage)[];
}

/**
 * The frames an agent wrote during one turn of its event loop: a small relayed response
 * (head, body, end) and the frames of concurrent requests share one gRPC message.
 */
export interface AgentBatch__Output {
  'frames': (_ferry_agenthub_v1_AgentMessage__Output)[];
}
