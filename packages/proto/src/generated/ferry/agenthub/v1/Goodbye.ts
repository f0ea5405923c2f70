// Original file: proto/ferry/agenthub/v1/agent_hub.proto


export interface Goodbye {
  /**
   * e.g. `token_expired`, `hub_shutdown`, `forbidden`.
   */
  'code'?: (string);
  'message'?: (string);
}

export interface Goodbye__Output {
  /**
   * e.g. `token_expired`, `hub_shutdown`, `forbidden`.
   */
  'code': (string);
  'message': (string);
}
