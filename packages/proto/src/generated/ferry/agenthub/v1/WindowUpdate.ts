// Original file: proto/ferry/agenthub/v1/agent_hub.proto


export interface WindowUpdate {
  'requestId'?: (number);
  'bytes'?: (number);
}

export interface WindowUpdate__Output {
  'requestId': (number);
  'bytes': (number);
}
