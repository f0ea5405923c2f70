export { createHttpClient, type HttpClientOptions } from './client.js';
export { createRedactor, type Redactor } from './redact.js';
export { backoffDelay, serverRequestedDelay, type BackoffPolicy } from './retry-delay.js';
export { send, type HttpAnswer, type HttpRequest, type SendContext, type SendPolicy } from './send.js';
export { sleep } from './sleep.js';
