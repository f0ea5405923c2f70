// Original file: proto/ferry/agenthub/v1/agent_hub.proto

import type { Registered as _ferry_agenthub_v1_Registered, Registered__Output as _ferry_agenthub_v1_Registered__Output } from '../../../ferry/agenthub/v1/Registered.js';
import type { Heartbeat as _ferry_agenthub_v1_Heartbeat, Heartbeat__Output as _ferry_agenthub_v1_Heartbeat__Output } from '../../../ferry/agenthub/v1/Heartbeat.js';
import type { RequestHead as _ferry_agenthub_v1_RequestHead, RequestHead__Output as _ferry_agenthub_v1_RequestHead__Output } from '../../../ferry/agenthub/v1/RequestHead.js';
import type { BodyChunk as _ferry_agenthub_v1_BodyChunk, BodyChunk__Output as _ferry_agenthub_v1_BodyChunk__Output } from '../../../ferry/agenthub/v1/BodyChunk.js';
import type { BodyEnd as _ferry_agenthub_v1_BodyEnd, BodyEnd__Output as _ferry_agenthub_v1_BodyEnd__Output } from '../../../ferry/agenthub/v1/BodyEnd.js';
import type { Cancel as _ferry_agenthub_v1_Cancel, Cancel__Output as _ferry_agenthub_v1_Cancel__Output } from '../../../ferry/agenthub/v1/Cancel.js';
import type { WindowUpdate as _ferry_agenthub_v1_WindowUpdate, WindowUpdate__Output as _ferry_agenthub_v1_WindowUpdate__Output } from '../../../ferry/agenthub/v1/WindowUpdate.js';
import type { Goodbye as _ferry_agenthub_v1_Goodbye, Goodbye__Output as _ferry_agenthub_v1_Goodbye__Output } from '../../../ferry/agenthub/v1/Goodbye.js';
import type { HubBatch as _ferry_agenthub_v1_HubBatch, HubBatch__Output as _ferry_agenthub_v1_HubBatch__Output } from '../../../ferry/agenthub/v1/HubBatch.js';

export interface HubMessage {
  'registered'?: (_ferry_agenthub_v1_Registered | null);
  'heartbeat'?: (_ferry_agenthub_v1_Heartbeat | null);
  'requestHead'?: (_ferry_agenthub_v1_RequestHead | null);
  'requestBody'?: (_ferry_agenthub_v1_BodyChunk | null);
  'requestEnd'?: (_ferry_agenthub_v1_BodyEnd | null);
  /**
   * The hub gave up on a request (its caller went away): stop and send nothing more for it.
   */
  'cancel'?: (_ferry_agenthub_v1_Cancel | null);
  /**
   * Credit for more response-body bytes of one request.
   */
  'windowUpdate'?: (_ferry_agenthub_v1_WindowUpdate | null);
  /**
   * The hub is ending the stream on purpose (token expired, hub shutting down...).
   */
  'goodbye'?: (_ferry_agenthub_v1_Goodbye | null);
  /**
   * Several frames in one message, handled in order. Sent only to an agent whose
   * `register` said `accepts_batches`.
   */
  'batch'?: (_ferry_agenthub_v1_HubBatch | null);
  'kind'?: "registered"|"heartbeat"|"requestHead"|"requestBody"|"requestEnd"|"cancel"|"windowUpdate"|"goodbye"|"batch";
}

export interface HubMessage__Output {
  'registered'?: (_ferry_agenthub_v1_Registered__Output | null);
  'heartbeat'?: (_ferry_agenthub_v1_Heartbeat__Output | null);
  'requestHead'?: (_ferry_agenthub_v1_RequestHead__Output | null);
  'requestBody'?: (_ferry_agenthub_v1_BodyChunk__Output | null);
  'requestEnd'?: (_ferry_agenthub_v1_BodyEnd__Output | null);
  /**
   * The hub gave up on a request (its caller went away): stop and send nothing more for it.
   */
  'cancel'?: (_ferry_agenthub_v1_Cancel__Output | null);
  /**
   * Credit for more response-body bytes of one request.
   */
  'windowUpdate'?: (_ferry_agenthub_v1_WindowUpdate__Output | null);
  /**
   * The hub is ending the stream on purpose (token expired, hub shutting down...).
   */
  'goodbye'?: (_ferry_agenthub_v1_Goodbye__Output | null);
  /**
   * Several frames in one message, handled in order. Sent only to an agent whose
   * `register` said `accepts_batches`.
   */
  'batch'?: (_ferry_agenthub_v1_HubBatch__Output | null);
  'kind'?: "registered"|"heartbeat"|"requestHead"|"requestBody"|"requestEnd"|"cancel"|"windowUpdate"|"goodbye"|"batch";
}
