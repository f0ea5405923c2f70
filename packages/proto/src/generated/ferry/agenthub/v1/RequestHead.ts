// Original file: proto/ferry/agenthub/v1/agent_hub.proto

import type { Header as _ferry_agenthub_v1_Header, Header__Output as _ferry_agenthub_v1_Header__Output } from '../../../ferry/agenthub/v1/Header.js';

export interface RequestHead {
  'requestId'?: (number);
  'method'?: (string);
  /**
   * A path (with query) on the agent's own cluster API server; the agent adds its credentials.
   */
  'clusterPath'?: (string);
  /**
   * An absolute http(s) URL on a host the agent's allowlist names.
   */
  'url'?: (string);
  'headers'?: (_ferry_agenthub_v1_Header)[];
  /**
   * Bytes of response body the hub accepts before it grants more credit.
   */
  'responseWindow'?: (number);
  /**
   * Whether a body follows (request_body chunks, then request_end); otherwise the request is complete.
   */
  'hasBody'?: (boolean);
  'destination'?: "clusterPath"|"url";
}

export interface RequestHead__Output {
  'requestId': (number);
  'method': (string);
  /**
   * A path (with query) on the agent's own cluster API server; the agent adds its credentials.
   */
  'clusterPath'?: (string);
  /**
   * An absolute http(s) URL on a host the agent's allowlist names.
   */
  'url'?: (string);
  'headers': (_ferry_agenthub_v1_Header__Output)[];
  /**
   * Bytes of response body the hub accepts before it grants more credit.
   */
  'responseWindow': (number);
  /**
   * Whether a body follows (request_body chunks, then request_end); otherwise the request is complete.
   */
  'hasBody': (boolean);
  'destination'?: "clusterPath"|"url";
}
