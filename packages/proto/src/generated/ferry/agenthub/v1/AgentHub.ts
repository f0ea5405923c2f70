// Original file: proto/ferry/agenthub/v1/agent_hub.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentMessage as _ferry_agenthub_v1_AgentMessage, AgentMessage__Output as _ferry_agenthub_v1_AgentMessage__Output } from '../../../ferry/agenthub/v1/AgentMessage.js';
import type { HubMessage as _ferry_agenthub_v1_HubMessage, HubMessage__Output as _ferry_agenthub_v1_HubMessage__Output } from '../../../ferry/agenthub/v1/HubMessage.js';

export interface AgentHubClient extends grpc.Client {
  /**
   * The call carries `authorization: Bearer <OIDC access token>` in its metadata. The first
   * message from the agent must be `register`; the hub answers `registered` or ends the call.
   */
  Connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_ferry_agenthub_v1_AgentMessage, _ferry_agenthub_v1_HubMessage__Output>;
  Connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_ferry_agenthub_v1_AgentMessage, _ferry_agenthub_v1_HubMessage__Output>;
  /**
   * The call carries `authorization: Bearer <OIDC access token>` in its metadata. The first
   * message from the agent must be `register`; the hub answers `registered` or ends the call.
   */
  connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_ferry_agenthub_v1_AgentMessage, _ferry_agenthub_v1_HubMessage__Output>;
  connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_ferry_agenthub_v1_AgentMessage, _ferry_agenthub_v1_HubMessage__Output>;
  
}

export interface AgentHubHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The call carries `authorization: Bearer <OIDC access token>` in its metadata. The first
   * message from the agent must be `register`; the hub answers `registered` or ends the call.
   */
  Connect: grpc.handleBidiStreamingCall<_ferry_agenthub_v1_AgentMessage__Output, _ferry_agenthub_v1_HubMessage>;
  
}

export interface AgentHubDefinition extends grpc.ServiceDefinition {
  Connect: MethodDefinition<_ferry_agenthub_v1_AgentMessage, _ferry_agenthub_v1_HubMessage, _ferry_agenthub_v1_AgentMessage__Output, _ferry_agenthub_v1_HubMessage__Output>
}
