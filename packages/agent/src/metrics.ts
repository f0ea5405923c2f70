import { Counter, Gauge, Registry } from 'prom-client';

export interface AgentMetrics {
  registry: Registry;
  connected: Gauge;
  inFlight: Gauge;
  requests: Counter<'outcome'>;
  reconnects: Counter;
}

/** The agent's Prometheus metrics, in a registry of its own (several agents may share a process in tests). */
export function createAgentMetrics(): AgentMetrics {
  const registry = new Registry();
  return {
    registry,
    connected: new Gauge({ name: 'ferry_agent_connected', help: 'Whether the agent holds a stream to the hub (1) or not (0)', registers: [registry] }),
    inFlight: new Gauge({ name: 'ferry_agent_relay_in_flight', help: 'Relayed requests being performed', registers: [registry] }),
    requests: new Counter({ name: 'ferry_agent_relay_requests_total', help: 'Relayed requests by outcome', labelNames: ['outcome'], registers: [registry] }),
    reconnects: new Counter({ name: 'ferry_agent_reconnects_total', help: 'Times the agent dialled the hub again after losing its stream', registers: [registry] }),
  };
}
