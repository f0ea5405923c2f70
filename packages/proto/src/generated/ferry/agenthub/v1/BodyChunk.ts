// Original file: proto/ferry/agenthub/v1/agent_hub.proto


export interface BodyChunk {
  'requestId'?: (number);
  'data'?: (Buffer | Uint8Array | string);
}

export interface BodyChunk__Output {
  'requestId': (number);
  'data': (Buffer);
}
