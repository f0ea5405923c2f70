#!/usr/bin/env node
// Runs the endpoint: FERRY_SPINNAKER_TOKEN (the shared secret in orca-local.yml), KUBECONFIG
// (its contexts are the deployment files' accounts), PORT (default 8088), HOST (127.0.0.1).
import { startSpinnakerEndpoint } from './start.js';

const token = process.env.FERRY_SPINNAKER_TOKEN;
if (!token) {
  console.error('set FERRY_SPINNAKER_TOKEN to the shared secret Orca sends');
  process.exit(2);
}
const endpoint = await startSpinnakerEndpoint({
  token,
  ...(process.env.KUBECONFIG ? { kubeconfigPath: process.env.KUBECONFIG } : {}),
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 8088),
  ...(process.env.PUBLIC_URL ? { publicUrl: process.env.PUBLIC_URL } : {}),
});
console.log(`ferry spinnaker endpoint listening at ${endpoint.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void endpoint.close().then(() => process.exit(0)));
}
