import { createHash, timingSafeEqual } from 'node:crypto';
import { FerryInputError, FerryUnauthenticatedError, httpStatusOf, isFerryError, type FerryEngine } from '@ferry/core';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { readDeployFile } from './read-deploy-file.js';
import { idParams, startBody } from './schemas.js';
import { statusPayload } from './status-payload.js';

export interface SpinnakerEndpointOptions {
  /** The engine deployments run in (its store, plugins and kube contexts). */
  engine: Pick<FerryEngine, 'start' | 'get' | 'cancel'>;
  /** The shared secret Orca sends as `Authorization: Bearer <token>` (set in orca-local.yml). */
  token: string;
  /** The URL Orca reaches this server at, for the status URLs it is given. Default: the request's host. */
  publicUrl?: string;
}

/**
 * The Spinnaker-facing endpoint: Orca's webhook stage POSTs here to start a deployment in the
 * embedded engine, then polls the `statusUrl` it was given until the status is one of its
 * success, cancelled or terminal statuses. A cancelled stage calls the cancel URL.
 *
 *   POST /spinnaker/deployments              {deployFile, manifests?, context?|contextJson?, user?}
 *        → 202 {id, status, statusUrl, ...}
 *   GET  /spinnaker/deployments/:id          → {id, status, progress, reason, targets, statusUrl}
 *   POST /spinnaker/deployments/:id/cancel   → 202 {id, status, ...}
 */
export function createSpinnakerEndpoint(options: SpinnakerEndpointOptions): FastifyInstance {
  if (options.token.length < 16) throw new FerryInputError('token: use at least 16 characters for the shared secret', { code: 'invalid_options' });
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  const expected = sha256(options.token);
  const statusUrl = (request: FastifyRequest, id: string) =>
    `${(options.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '')}/spinnaker/deployments/${encodeURIComponent(id)}`;

  app.addHook('onRequest', async (request) => {
    if (request.url === '/health') return;
    const match = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '');
    // Hash both sides: timingSafeEqual needs equal lengths and must not leak the length.
    if (!match?.[1] || !timingSafeEqual(sha256(match[1]), expected)) {
      throw new FerryUnauthenticatedError('a valid bearer token is required', { code: 'unauthenticated' });
    }
  });

  app.setErrorHandler((error, _request, reply) => {
    const status = isFerryError(error) ? httpStatusOf(error) : ((error as { statusCode?: number }).statusCode ?? 500);
    const code = isFerryError(error) ? error.code : status === 500 ? 'internal' : 'bad_request';
    // An unexpected error's text may carry anything: only Ferry's own errors are shown.
    const message = isFerryError(error) || status < 500 ? (error as Error).message : 'internal error';
    void reply.code(status).send({ error: code, message });
  });

  app.get('/health', async () => ({ ok: true }));

  app.post('/spinnaker/deployments', async (request, reply) => {
    const body = parse(startBody, request.body, 'body');
    const context = { ...parseContextJson(body.contextJson), ...body.context };
    const file = await readDeployFile(body.deployFile, body.manifests);
    const record = await options.engine.start(file, { context, by: body.user ?? 'spinnaker' });
    return reply.code(202).send(statusPayload(record, statusUrl(request, record.id)));
  });

  app.get('/spinnaker/deployments/:id', async (request) => {
    const { id } = parse(idParams, request.params, 'params');
    return statusPayload(await options.engine.get(id), statusUrl(request, id));
  });

  app.post('/spinnaker/deployments/:id/cancel', async (request, reply) => {
    const { id } = parse(idParams, request.params, 'params');
    await options.engine.cancel(id, { by: 'spinnaker', comment: 'the Spinnaker stage was cancelled' });
    return reply.code(202).send(statusPayload(await options.engine.get(id), statusUrl(request, id)));
  });

  return app;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Validates once at the boundary; the message names each bad path. */
function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${[where, ...issue.path].join('.')}: ${issue.message}`);
  throw new FerryInputError(problems.join('; '), { code: 'invalid_request' });
}

function parseContextJson(text: string | undefined): Record<string, string> {
  if (!text?.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FerryInputError('body.contextJson: not valid JSON', { code: 'invalid_request' });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new FerryInputError('body.contextJson: must be a JSON object', { code: 'invalid_request' });
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}
