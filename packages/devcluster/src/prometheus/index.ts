export { startPrometheus, PROMETHEUS_BINARY, type StartPrometheusOptions, type RunningPrometheus } from './start-prometheus.js';
export { queryPrometheus, type PromSample } from './query.js';
export { prometheusConfig } from './prometheus-config.js';
