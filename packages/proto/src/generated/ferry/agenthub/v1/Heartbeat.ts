// Original file: proto/ferry/agenthub/v1/agent_hub.proto

import type { Long } from '@grpc/proto-loader';

export interface Heartbeat {
  /**
   * The sender's clock (epoch ms), for round-trip measurement.
   */
  'sentAtMs'?: (number | string | Long);
  /**
   * The number of requests the sender has in flight, for the registry.
   */
  'inFlight'?: (number);
}

export interface Heartbeat__Output {
  /**
   * The sender's clock (epoch ms), for round-trip measurement.
   */
  'sentAtMs': (number);
  /**
   * The number of requests the sender has in flight, for the registry.
   */
  'inFlight': (number);
}
