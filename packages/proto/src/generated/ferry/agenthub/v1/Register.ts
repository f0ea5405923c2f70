// Original file: proto/ferry/agenthub/v1/agent_hub.proto


export interface Register {
  /**
   * The agent's name in the tenant; several replicas share one identifier.
   */
  'identifier'?: (string);
  /**
   * Unique per agent process (a UUID).
   */
  'instanceId'?: (string);
  'version'?: (string);
  /**
   * Cluster-account mode: the agent's cluster becomes a deployment target named `identifier`.
   */
  'clusterAccount'?: (boolean);
  /**
   * Whether the agent's ServiceAccount is bound to a ClusterRole (cluster-wide access).
   */
  'clusterRole'?: (boolean);
  /**
   * Bytes of request body the agent accepts per request before it grants more credit.
   */
  'requestWindow'?: (number);
  /**
   * What the agent reports about its cluster, cached by the hub (e.g. the API server's version).
   */
  'info'?: ({[key: string]: string});
  /**
   * The agent understands `HubMessage.batch`; older agents leave it false and get single frames.
   */
  'acceptsBatches'?: (boolean);
}

export interface Register__Output {
  /**
   * The agent's name in the tenant; several replicas share one identifier.
   */
  'identifier': (string);
  /**
   * Unique per agent process (a UUID).
   */
  'instanceId': (string);
  'version': (string);
  /**
   * Cluster-account mode: the agent's cluster becomes a deployment target named `identifier`.
   */
  'clusterAccount': (boolean);
  /**
   * Whether the agent's ServiceAccount is bound to a ClusterRole (cluster-wide access).
   */
  'clusterRole': (boolean);
  /**
   * Bytes of request body the agent accepts per request before it grants more credit.
   */
  'requestWindow': (number);
  /**
   * What the agent reports about its cluster, cached by the hub (e.g. the API server's version).
   */
  'info': ({[key: string]: string});
  /**
   * The agent understands `HubMessage.batch`; older agents leave it false and get single frames.
   */
  'acceptsBatches': (boolean);
}
