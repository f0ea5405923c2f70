import { createHash, timingSafeEqual } from 'node:crypto';
import { FerryInputError, FerryUnauthenticatedError, FerryForbiddenError, httpStatusOf, silentLogger, toFerryError, type FerryEngine, type LoggerV1 } from '@ferry/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CALLBACK_ROUTE } from './callback-uri.js';

export interface WebhookCallbackRoutesOptions {
  engine: Pick<FerryEngine, 'callback'>;
  /**
   * Client id → static bearer token, until the hub's OIDC client credentials exist. A
   * caller may also present the step's own callback token (the last URI segment) as its
   * bearer token; either way the URI's token must be valid for the step.
   */
  bearerTokens?: Record<string, string>;
  logger?: LoggerV1;
}

export interface WebhookCallbackServerOptions extends WebhookCallbackRoutesOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
}

export interface WebhookCallbackServer {
  /** Starts listening; resolves with the base URL (give it to `webhooks({ callbackBaseUrl })`). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

const bodySchema = z.strictObject({ success: z.boolean(), mdMessage: z.string().max(10_000).optional() });
const paramsSchema = z.object({ deploymentId: z.string().min(1), stepId: z.string().min(1), token: z.string().min(1) });

/**
 * `POST /v1/callbacks/:deploymentId/:stepId/:token/callback` → `engine.callback`.
 * 401 without a bearer token, 403 with a wrong one (or a wrong URI token), 400 on a bad
 * body, 404 for an unknown deployment or step, 409 when the step is not waiting. Nothing
 * logged or answered ever contains a token: URLs are not logged, errors name ids only.
 */
export function registerWebhookCallbackRoutes(app: FastifyInstance, options: WebhookCallbackRoutesOptions): void {
  const logger = options.logger ?? silentLogger;
  const clients = Object.entries(options.bearerTokens ?? {}).map(([clientId, token]) => ({ clientId, hash: digest(token) }));

  app.post(CALLBACK_ROUTE, async (request, reply) => {
    const params = paramsSchema.safeParse(request.params);
    try {
      if (!params.success) throw new FerryInputError('the callback URI is malformed', { code: 'invalid_callback_uri' });
      const { deploymentId, stepId, token } = params.data;
      const by = authenticate(request.headers.authorization, token, clients);
      const body = bodySchema.safeParse(request.body);
      if (!body.success) {
        throw new FerryInputError(`invalid callback body: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`, { code: 'invalid_callback' });
      }
      await options.engine.callback(deploymentId, { stepId, token, success: body.data.success, by, ...(body.data.mdMessage !== undefined ? { mdMessage: body.data.mdMessage } : {}) });
      logger.info({ deploymentId, stepId, by, success: body.data.success }, 'webhook callback accepted');
      return reply.code(202).send({ accepted: true });
    } catch (error) {
      const ferry = toFerryError(error);
      const status = httpStatusOf(ferry);
      logger.warn({ deploymentId: params.data?.deploymentId, stepId: params.data?.stepId, status, code: ferry.code }, 'webhook callback refused');
      return reply.code(status).send({ error: { code: ferry.code, message: status >= 500 ? 'internal error' : ferry.message } });
    }
  });
}

/** Fastify on its own port for the callback route alone; no request logging (URIs carry tokens). */
export function createWebhookCallbackServer(options: WebhookCallbackServerOptions): WebhookCallbackServer {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  // Parse errors answer generically: fastify's own messages can quote the body.
  app.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: { code: status === 500 ? 'internal' : 'invalid_request', message: status === 500 ? 'internal error' : 'the request could not be read (expected a JSON body)' } });
  });
  registerWebhookCallbackRoutes(app, options);
  return {
    async listen() {
      await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('the callback server has no TCP address');
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${host}:${address.port}`;
    },
    close: () => app.close(),
  };
}

/** Who calls back: a configured client, or the holder of the step's token. Constant-time comparisons. */
function authenticate(header: string | undefined, uriToken: string, clients: Array<{ clientId: string; hash: Buffer }>): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) throw new FerryUnauthenticatedError('a bearer token is required', { code: 'missing_bearer_token' });
  const presented = digest(match[1] as string);
  let by: string | undefined;
  for (const client of clients) if (timingSafeEqual(client.hash, presented) && by === undefined) by = client.clientId;
  if (timingSafeEqual(digest(uriToken), presented) && by === undefined) by = 'callback-token';
  if (by === undefined) throw new FerryForbiddenError('the bearer token is not accepted', { code: 'invalid_bearer_token' });
  return by;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
