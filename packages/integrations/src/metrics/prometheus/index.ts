export { prometheusOptions, type PrometheusOptions } from './options.js';
export { prometheus } from './plugin.js';
export { prometheusMetricProvider } from './provider.js';
