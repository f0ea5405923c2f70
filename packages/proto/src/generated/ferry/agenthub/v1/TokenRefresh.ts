// Original file: proto/ferry/agenthub/v1/agent_hub.proto


export interface TokenRefresh {
  'accessToken'?: (string);
}

export interface TokenRefresh__Output {
  'accessToken': (string);
}
