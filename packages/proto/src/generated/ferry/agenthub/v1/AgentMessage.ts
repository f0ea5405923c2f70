// Original file: proto/ferry/agenthub/v1/agent_hub.proto

import type { Register as _ferry_agenthub_v1_Register, Register__Output as _ferry_agenthub_v1_Register__Output } from '../../../ferry/agenthub/v1/Register.js';
import type { Heartbeat as _ferry_agenthub_v1_Heartbeat, Heartbeat__Output as _ferry_agenthub_v1_Heartbeat__Output } from '../../../ferry/agenthub/v1/Heartbeat.js';
import type { TokenRefresh as _ferry_agenthub_v1_TokenRefresh, TokenRefresh__Output as _ferry_agenthub_v1_TokenRefresh__Output } from '../../../ferry/agenthub/v1/TokenRefresh.js';
import type { ResponseHead as _ferry_agenthub_v1_ResponseHead, ResponseHead__Output as _ferry_agenthub_v1_ResponseHead__Output } from '../../../ferry/agenthub/v1/ResponseHead.js';
import type { BodyChunk as _ferry_agenthub_v1_BodyChunk, BodyChunk__Output as _ferry_agenthub_v1_BodyChunk__Output } from '../../../ferry/agenthub/v1/BodyChunk.js';
import type { BodyEnd as _ferry_agenthub_v1_BodyEnd, BodyEnd__Output as _ferry_agenthub_v1_BodyEnd__Output } from '../../../ferry/agenthub/v1/BodyEnd.js';
import type { RelayError as _ferry_agenthub_v1_RelayError, RelayError__Output as _ferry_agenthub_v1_RelayError__Output } from '../../../ferry/agenthub/v1/RelayError.js';
import type { WindowUpdate as _ferry_agenthub_v1_WindowUpdate, WindowUpdate__Output as _ferry_agenthub_v1_WindowUpdate__Output } from '../../../ferry/agenthub/v1/WindowUpdate.js';
import type { Draining as _ferry_agenthub_v1_Draining, Draining__Output as _ferry_agenthub_v1_Draining__Output } from '../../../ferry/agenthub/v1/Draining.js';
import type { AgentBatch as _ferry_agenthub_v1_AgentBatch, AgentBatch__Output as _ferry_agenthub_v1_AgentBatch__Output } from '../../../ferry/agenthub/v1/AgentBatch.js';

export interface AgentMessage {
  'register'?: (_ferry_agenthub_v1_Register | null);
  'heartbeat'?: (_ferry_agenthub_v1_Heartbeat | null);
  /**
   * A fresh access token (client-credentials refresh); the hub re-verifies it.
   */
  'tokenRefresh'?: (_ferry_agenthub_v1_TokenRefresh | null);
  'responseHead'?: (_ferry_agenthub_v1_ResponseHead | null);
  'responseBody'?: (_ferry_agenthub_v1_BodyChunk | null);
  'responseEnd'?: (_ferry_agenthub_v1_BodyEnd | null);
  'responseError'?: (_ferry_agenthub_v1_RelayError | null);
  /**
   * Credit for more request-body bytes of one request.
   */
  'windowUpdate'?: (_ferry_agenthub_v1_WindowUpdate | null);
  /**
   * The agent is shutting down: send it no new requests; in-flight ones finish.
   */
  'draining'?: (_ferry_agenthub_v1_Draining | null);
  /**
   * Several frames in one message, handled in order. Sent only to a hub whose `registered`
   * said `accepts_batches`.
   */
  'batch'?: (_ferry_agenthub_v1_AgentBatch | null);
  'kind'?: "register"|"heartbeat"|"tokenRefresh"|"responseHead"|"responseBody"|"responseEnd"|"responseError"|"windowUpdate"|"draining"|"batch";
}

export interface AgentMessage__Output {
  'register'?: (_ferry_agenthub_v1_Register__Output | null);
  'heartbeat'?: (_ferry_agenthub_v1_Heartbeat__Output | null);
  /**
   * A fresh access token (client-credentials refresh); the hub re-verifies it.
   */
  'tokenRefresh'?: (_ferry_agenthub_v1_TokenRefresh__Output | null);
  'responseHead'?: (_ferry_agenthub_v1_ResponseHead__Output | null);
  'responseBody'?: (_ferry_agenthub_v1_BodyChunk__Output | null);
  'responseEnd'?: (_ferry_agenthub_v1_BodyEnd__Output | null);
  'responseError'?: (_ferry_agenthub_v1_RelayError__Output | null);
  /**
   * Credit for more request-body bytes of one request.
   */
  'windowUpdate'?: (_ferry_agenthub_v1_WindowUpdate__Output | null);
  /**
   * The agent is shutting down: send it no new requests; in-flight ones finish.
   */
  'draining'?: (_ferry_agenthub_v1_Draining__Output | null);
  /**
   * Several frames in one message, handled in order. Sent only to a hub whose `registered`
   * said `accepts_batches`.
   */
  'batch'?: (_ferry_agenthub_v1_AgentBatch__Output | null);
  'kind'?: "register"|"heartbeat"|"tokenRefresh"|"responseHead"|"responseBody"|"responseEnd"|"responseError"|"windowUpdate"|"draining"|"batch";
}
