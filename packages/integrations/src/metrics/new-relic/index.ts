export { NERDGRAPH_ENDPOINTS, newRelicOptions, type NewRelicOptions } from './options.js';
export { newRelic } from './plugin.js';
export { newRelicMetricProvider } from './provider.js';
