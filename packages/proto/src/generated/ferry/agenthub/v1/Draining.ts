// Original file: proto/ferry/agenthub/v1/agent_hub.proto


export interface Draining {
  'reason'?: (string);
}

export interface Draining__Output {
  'reason': (string);
}
