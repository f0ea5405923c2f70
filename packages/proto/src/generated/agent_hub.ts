import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentBatch as _ferry_agenthub_v1_AgentBatch, AgentBatch__Output as _ferry_agenthub_v1_AgentBatch__Output } from './ferry/agenthub/v1/AgentBatch.js';
import type { AgentHubClient as _ferry_agenthub_v1_AgentHubClient, AgentHubDefinition as _ferry_agenthub_v1_AgentHubDefinition } from './ferry/agenthub/v1/AgentHub.js';
import type { AgentMessage as _ferry_agenthub_v1_AgentMessage, AgentMessage__Output as _ferry_agenthub_v1_AgentMessage__Output } from './ferry/agenthub/v1/AgentMessage.js';
import type { BodyChunk as _ferry_agenthub_v1_BodyChunk, BodyChunk__Output as _ferry_agenthub_v1_BodyChunk__Output } from './ferry/agenthub/v1/BodyChunk.js';
import type { BodyEnd as _ferry_agenthub_v1_BodyEnd, BodyEnd__Output as _ferry_agenthub_v1_BodyEnd__Output } from './ferry/agenthub/v1/BodyEnd.js';
import type { Cancel as _ferry_agenthub_v1_Cancel, Cancel__Output as _ferry_agenthub_v1_Cancel__Output } from './ferry/agenthub/v1/Cancel.js';
import type { Draining as _ferry_agenthub_v1_Draining, Draining__Output as _ferry_agenthub_v1_Draining__Output } from './ferry/agenthub/v1/Draining.js';
import type { Goodbye as _ferry_agenthub_v1_Goodbye, Goodbye__Output as _ferry_agenthub_v1_Goodbye__Output } from './ferry/agenthub/v1/Goodbye.js';
import type { Header as _ferry_agenthub_v1_Header, Header__Output as _ferry_agenthub_v1_Header__Output } from './ferry/agenthub/v1/Header.js';
import type { Heartbeat as _ferry_agenthub_v1_Heartbeat, Heartbeat__Output as _ferry_agenthub_v1_Heartbeat__Output } from './ferry/agenthub/v1/Heartbeat.js';
import type { HubBatch as _ferry_agenthub_v1_HubBatch, HubBatch__Output as _ferry_agenthub_v1_HubBatch__Output } from './ferry/agenthub/v1/HubBatch.js';
import type { HubMessage as _ferry_agenthub_v1_HubMessage, HubMessage__Output as _ferry_agenthub_v1_HubMessage__Output } from './ferry/agenthub/v1/HubMessage.js';
import type { Register as _ferry_agenthub_v1_Register, Register__Output as _ferry_agenthub_v1_Register__Output } from './ferry/agenthub/v1/Register.js';
import type { Registered as _ferry_agenthub_v1_Registered, Registered__Output as _ferry_agenthub_v1_Registered__Output } from './ferry/agenthub/v1/Registered.js';
import type { RelayError as _ferry_agenthub_v1_RelayError, RelayError__Output as _ferry_agenthub_v1_RelayError__Output } from './ferry/agenthub/v1/RelayError.js';
import type { RequestHead as _ferry_agenthub_v1_RequestHead, RequestHead__Output as _ferry_agenthub_v1_RequestHead__Output } from './ferry/agenthub/v1/RequestHead.js';
import type { ResponseHead as _ferry_agenthub_v1_ResponseHead, ResponseHead__Output as _ferry_agenthub_v1_ResponseHead__Output } from './ferry/agenthub/v1/ResponseHead.js';
import type { TokenRefresh as _ferry_agenthub_v1_TokenRefresh, TokenRefresh__Output as _ferry_agenthub_v1_TokenRefresh__Output } from './ferry/agenthub/v1/TokenRefresh.js';
import type { WindowUpdate as _ferry_agenthub_v1_WindowUpdate, WindowUpdate__Output as _ferry_agenthub_v1_WindowUpdate__Output } from './ferry/agenthub/v1/WindowUpdate.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  ferry: {
    agenthub: {
      v1: {
        AgentBatch: MessageTypeDefinition<_ferry_agenthub_v1_AgentBatch, _ferry_agenthub_v1_AgentBatch__Output>
        AgentHub: SubtypeConstructor<typeof grpc.Client, _ferry_agenthub_v1_AgentHubClient> & { service: _ferry_agenthub_v1_AgentHubDefinition }
        AgentMessage: MessageTypeDefinition<_ferry_agenthub_v1_AgentMessage, _ferry_agenthub_v1_AgentMessage__Output>
        BodyChunk: MessageTypeDefinition<_ferry_agenthub_v1_BodyChunk, _ferry_agenthub_v1_BodyChunk__Output>
        BodyEnd: MessageTypeDefinition<_ferry_agenthub_v1_BodyEnd, _ferry_agenthub_v1_BodyEnd__Output>
        Cancel: MessageTypeDefinition<_ferry_agenthub_v1_Cancel, _ferry_agenthub_v1_Cancel__Output>
        Draining: MessageTypeDefinition<_ferry_agenthub_v1_Draining, _ferry_agenthub_v1_Draining__Output>
        Goodbye: MessageTypeDefinition<_ferry_agenthub_v1_Goodbye, _ferry_agenthub_v1_Goodbye__Output>
        Header: MessageTypeDefinition<_ferry_agenthub_v1_Header, _ferry_agenthub_v1_Header__Output>
        Heartbeat: MessageTypeDefinition<_ferry_agenthub_v1_Heartbeat, _ferry_agenthub_v1_Heartbeat__Output>
        HubBatch: MessageTypeDefinition<_ferry_agenthub_v1_HubBatch, _ferry_agenthub_v1_HubBatch__Output>
        HubMessage: MessageTypeDefinition<_ferry_agenthub_v1_HubMessage, _ferry_agenthub_v1_HubMessage__Output>
        Register: MessageTypeDefinition<_ferry_agenthub_v1_Register, _ferry_agenthub_v1_Register__Output>
        Registered: MessageTypeDefinition<_ferry_agenthub_v1_Registered, _ferry_agenthub_v1_Registered__Output>
        RelayError: MessageTypeDefinition<_ferry_agenthub_v1_RelayError, _ferry_agenthub_v1_RelayError__Output>
        RequestHead: MessageTypeDefinition<_ferry_agenthub_v1_RequestHead, _ferry_agenthub_v1_RequestHead__Output>
        ResponseHead: MessageTypeDefinition<_ferry_agenthub_v1_ResponseHead, _ferry_agenthub_v1_ResponseHead__Output>
        TokenRefresh: MessageTypeDefinition<_ferry_agenthub_v1_TokenRefresh, _ferry_agenthub_v1_TokenRefresh__Output>
        WindowUpdate: MessageTypeDefinition<_ferry_agenthub_v1_WindowUpdate, _ferry_agenthub_v1_WindowUpdate__Output>
      }
    }
  }
}

