import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { installErrorHandler } from './error-handler.js';
import { registerHealthRoutes, type ReadinessCheck } from './health.js';
import type { HubMetrics } from './metrics.js';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.js';
import type { TlsMaterial } from './tls.js';

export interface HubServerOptions {
  /** Undefined: plain HTTP (loopback only, checked by the options). */
  tls?: TlsMaterial;
  logger: Logger;
  metrics: HubMetrics;
  readiness: ReadinessCheck[];
}

export interface HubServer {
  app: FastifyInstance;
  /** Readiness answers 503 from now on. */
  startDraining(): void;
  /** Stops accepting, waits for in-flight requests up to `graceMs`, then cuts what is left. */
  close(graceMs: number): Promise<void>;
}

/** The fastify server with what every route shares: TLS, request ids, logs, errors, health, metrics. */
export function createHubServer(options: HubServerOptions): HubServer {
  let draining = false;
  const app = Fastify({
    ...(options.tls ? { https: { cert: options.tls.certPem, key: options.tls.keyPem } } : {}),
    loggerInstance: options.logger,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    bodyLimit: 8 * 1024 * 1024,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  }) as unknown as FastifyInstance;

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    options.metrics.apiRequestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  installErrorHandler(app);
  registerHealthRoutes(app, { checks: options.readiness, draining: () => draining });
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    const text = await options.metrics.registry.metrics();
    return reply.header('content-type', options.metrics.registry.contentType).send(text);
  });

  return {
    app,
    startDraining: () => {
      draining = true;
    },
    async close(graceMs) {
      draining = true;
      let timer: NodeJS.Timeout | undefined;
      const cut = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          app.log.warn({ graceMs }, 'in-flight requests did not finish in time; closing their connections');
          app.server.closeAllConnections();
          resolve();
        }, graceMs);
      });
      // Connections that finish their request while closing stay open for keep-alive: close
      // them as they go idle instead of waiting for the keep-alive timeout.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await Promise.race([app.close(), cut]);
      } finally {
        clearTimeout(timer);
        clearInterval(sweep);
      }
    },
  };
}
