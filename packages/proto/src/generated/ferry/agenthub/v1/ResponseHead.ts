// Original file: proto/ferry/agenthub/v1/agent_hub.proto

import type { Header as _ferry_agenthub_v1_Header, Header__Output as _ferry_agenthub_v1_Header__Output } from '../../../ferry/agenthub/v1/Header.js';

export interface ResponseHead {
  'requestId'?: (number);
  'status'?: (number);
  'headers'?: (_ferry_agenthub_v1_Header)[];
}

export interface ResponseHead__Output {
  'requestId': (number);
  'status': (number);
  'headers': (_ferry_agenthub_v1_Header__Output)[];
}
