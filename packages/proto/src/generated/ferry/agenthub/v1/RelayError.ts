// Original file: proto/ferry/agenthub/v1/agent_hub.proto


export interface RelayError {
  'requestId'?: (number);
  /**
   * `destination_not_allowed`, `upstream_unreachable`, `upstream_reset`, `agent_draining`, `bad_request`.
   */
  'code'?: (string);
  'message'?: (string);
}

export interface RelayError__Output {
  'requestId': (number);
  /**
   * `destination_not_allowed`, `upstream_unreachable`, `upstream_reset`, `agent_draining`, `bad_request`.
   */
  'code': (string);
  'message': (string);
}
