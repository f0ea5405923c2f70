// Original file: proto/ferry/agenthub/v1/agent_hub.proto


export interface BodyEnd {
  'requestId'?: (number);
}

export interface BodyEnd__Output {
  'requestId': (number);
}
