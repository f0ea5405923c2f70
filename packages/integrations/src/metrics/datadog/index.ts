export { datadogOptions, type DatadogOptions } from './options.js';
export { datadog } from './plugin.js';
export { datadogMetricProvider } from './provider.js';
