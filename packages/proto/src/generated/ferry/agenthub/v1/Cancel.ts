// Original file: proto/ferry/agenthub/v1/agent_hub.proto


export interface Cancel {
  'requestId'?: (number);
  'reason'?: (string);
}

export interface Cancel__Output {
  'requestId': (number);
  'reason': (string);
}
