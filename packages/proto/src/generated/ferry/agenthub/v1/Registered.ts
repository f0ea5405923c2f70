// Original file: proto/ferry/agenthub/v1/agent_hub.proto

import type { Long } from '@grpc/proto-loader';

export interface Registered {
  /**
   * Which hub replica holds this stream.
   */
  'hubReplica'?: (string);
  /**
   * Both sides send a heartbeat this often and consider the stream dead after 3 missed ones.
   */
  'heartbeatIntervalMs'?: (number);
  /**
   * When the hub will end the stream unless a fresh token arrives (epoch ms).
   */
  'tokenExpiresAtMs'?: (number | string | Long);
  /**
   * The tenant the token belongs to (for the agent's logs).
   */
  'tenant'?: (string);
  /**
   * The hub understands `AgentMessage.batch`; older hubs leave it false and get single frames.
   */
  'acceptsBatches'?: (boolean);
}

export interface Registered__Output {
  /**
   * Which hub replica holds this stream.
   */
  'hubReplica': (string);
  /**
   * Both sides send a heartbeat this often and consider the stream dead after 3 missed ones.
   */
  'heartbeatIntervalMs': (number);
  /**
   * When the hub will end the stream unless a fresh token arrives (epoch ms).
   */
  'tokenExpiresAtMs': (number);
  /**
   * The tenant the token belongs to (for the agent's logs).
   */
  'tenant': (string);
  /**
   * The hub understands `AgentMessage.batch`; older hubs leave it false and get single frames.
   */
  'acceptsBatches': (boolean);
}
