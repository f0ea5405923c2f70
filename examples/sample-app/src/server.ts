/**
 * Entry point run for every `ferry/sample-app:*` pod (and by `npm start`). Listens on HOST:PORT
 * (default 127.0.0.1:8080) and drains connections on SIGTERM like a well-behaved container.
 */
import { createSampleApp } from './app.js';
import { readConfigFromEnv } from './config.js';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const app = createSampleApp(readConfigFromEnv(process.env), { defaultMetrics: true });

app.server.keepAliveTimeout = 5_000;
app.server.listen(port, host, () => {
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  console.log(JSON.stringify({ msg: 'listening', host, port: bound, ...app.config() }));
});

/**
 * Keep serving for a moment after SIGTERM, as well-run services do with a preStop sleep:
 * the pod leaves the Service's Endpoints as soon as it is deleted, but whoever routes
 * traffic (kube-proxy, a mesh, the dev cluster's traffic generator) learns of it a little
 * later. Closing the listener at once would fail the requests sent in between.
 */
const drainDelayMs = Number(process.env.SHUTDOWN_DELAY_MS ?? 3_000);

function shutdown(signal: string): void {
  console.log(JSON.stringify({ msg: 'shutting down', signal, drainDelayMs }));
  setTimeout(() => {
    app.server.close(() => process.exit(0));
    app.server.closeIdleConnections();
    // Don't hang on long-lived connections past a kubelet-like grace period.
    setTimeout(() => process.exit(0), 2_000).unref();
  }, drainDelayMs).unref();
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
