export { commonOptions } from './common-options.js';
export { datadog, datadogMetricProvider, datadogOptions, type DatadogOptions } from './datadog/index.js';
export { NERDGRAPH_ENDPOINTS, newRelic, newRelicMetricProvider, newRelicOptions, type NewRelicOptions } from './new-relic/index.js';
export { prometheus, prometheusMetricProvider, prometheusOptions, type PrometheusOptions } from './prometheus/index.js';
