export { startTraffic, type StartTrafficOptions, type RunningTraffic, type TrafficStats } from './start-traffic.js';
export { resolveRouting, type Routing } from './routing.js';
export { WeightedRoundRobin, RoundRobin, type Backend, type LocalEndpoint } from './weights.js';
