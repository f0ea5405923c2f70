export { createSpinnakerEndpoint, type SpinnakerEndpointOptions } from './server.js';
export { startSpinnakerEndpoint, type StartSpinnakerEndpointOptions, type RunningSpinnakerEndpoint } from './start.js';
export { statusPayload, type SpinnakerStatusPayload } from './status-payload.js';
