export { agentHubProto, agentHubService, AGENT_HUB_PROTO, LOADER_OPTIONS, PROTO_DIR } from './load.js';
export { FrameBatcher, MAX_BATCH_BYTES, streamFrameBatcher, type FrameBatcherOptions, type FrameStream } from './frame-batcher.js';
export {
  chunksOf,
  createReceiveWindow,
  CreditPump,
  DEFAULT_WINDOW,
  MAX_CHUNK,
  pumpWithCredit,
  SendWindow,
  sendWithCredit,
  type PausableSource,
  type ReceiveWindow,
} from './flow-control.js';
export type { AgentHubClient, AgentHubDefinition, AgentHubHandlers } from './generated/ferry/agenthub/v1/AgentHub.js';
export type { AgentMessage, AgentMessage__Output } from './generated/ferry/agenthub/v1/AgentMessage.js';
export type { HubMessage, HubMessage__Output } from './generated/ferry/agenthub/v1/HubMessage.js';
export type { Register, Register__Output } from './generated/ferry/agenthub/v1/Register.js';
export type { Registered, Registered__Output } from './generated/ferry/agenthub/v1/Registered.js';
export type { RequestHead, RequestHead__Output } from './generated/ferry/agenthub/v1/RequestHead.js';
export type { ResponseHead, ResponseHead__Output } from './generated/ferry/agenthub/v1/ResponseHead.js';
export type { RelayError, RelayError__Output } from './generated/ferry/agenthub/v1/RelayError.js';
export type { Header, Header__Output } from './generated/ferry/agenthub/v1/Header.js';
export type { Goodbye__Output } from './generated/ferry/agenthub/v1/Goodbye.js';
