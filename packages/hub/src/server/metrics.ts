import { DEPLOYMENT_STATUSES, type EngineEvents, type EngineEventV1, type StoreV1 } from '@ferry/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The hub's Prometheus series, on a registry of its own (two hubs in one process never mix). */
export interface HubMetrics {
  readonly registry: Registry;
  readonly apiRequestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly stepDuration: Histogram<'step_kind' | 'result'>;
  /** Incremented by the Agent Hub for every request relayed through an agent. */
  readonly relayRequests: Counter<'agent' | 'result'>;
  /** Incremented by the Agent Hub with the bytes relayed each way. */
  readonly relayBytes: Counter<'agent' | 'direction'>;
  /** Starts timing steps from the engine's events. */
  observeEngine(events: EngineEvents): void;
}

/** How many deployments per status a scrape counts (the store answers at most this many per status). */
const STATUS_SCAN_LIMIT = 100_000;

export function createHubMetrics(options: { store: () => StoreV1 | undefined }): HubMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ferry_hub_' });

  new Gauge({
    name: 'ferry_deployments',
    help: 'Deployments in the store by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      const store = options.store();
      if (!store) return;
      for (const status of DEPLOYMENT_STATUSES) {
        const found = await store.list({ status: [status], limit: STATUS_SCAN_LIMIT });
        this.set({ status }, found.length);
      }
    },
  });
  const stepDuration = new Histogram({
    name: 'ferry_step_duration_seconds',
    help: 'Duration of deployment steps run by this replica, from step.started to step.completed or step.failed',
    labelNames: ['step_kind', 'result'],
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 3600],
    registers: [registry],
  });
  const apiRequestDuration = new Histogram({
    name: 'ferry_api_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const relayRequests = new Counter({
    name: 'ferry_relay_requests_total',
    help: 'Requests relayed through Remote Network Agents',
    labelNames: ['agent', 'result'],
    registers: [registry],
  });
  const relayBytes = new Counter({
    name: 'ferry_relay_bytes_total',
    help: 'Bytes relayed through Remote Network Agents',
    labelNames: ['agent', 'direction'],
    registers: [registry],
  });

  return {
    registry,
    apiRequestDuration,
    stepDuration,
    relayRequests,
    relayBytes,
    observeEngine(events) {
      const started = new Map<string, { at: number; kind: string }>();
      const key = (event: EngineEventV1) => `${event.deploymentId}/${event.stepId ?? ''}`;
      events.on('step.started', (event) => {
        started.set(key(event), { at: event.at, kind: typeof event.data.kind === 'string' ? event.data.kind : 'unknown' });
      });
      const finish = (result: string) => (event: EngineEventV1) => {
        const begun = started.get(key(event));
        if (!begun) return;
        started.delete(key(event));
        stepDuration.observe({ step_kind: begun.kind, result }, Math.max(0, event.at - begun.at) / 1000);
      };
      events.on('step.completed', finish('completed'));
      events.on('step.failed', finish('failed'));
    },
  };
}
