import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { relayableHeaders } from '../agent-hub/relay-types.js';
import type { PreviewLinks } from './preview-links.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** Headers of the upstream answer that must not be copied onto ours. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection', 'content-length']);

/**
 * `/preview/<token>/…`: anyone holding the link reaches the exposed Service through the
 * target's agent until the link expires (410 afterwards, 404 for an unknown token). No
 * Ferry token: the link itself is the credential, so the caller's Authorization and cookies
 * are never passed on (relayableHeaders drops Authorization; cookies are dropped here).
 */
export function registerPreviewRoute(app: FastifyInstance, links: () => PreviewLinks | undefined): void {
  // Bodies pass through untouched: the upstream decides what it accepts.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    const handler = (request: FastifyRequest<{ Params: { token: string; '*'?: string } }>, reply: FastifyReply) => servePreview(request, reply, links());
    scope.route({ method: [...METHODS], url: '/preview/:token', logLevel: 'warn', handler });
    scope.route({ method: [...METHODS], url: '/preview/:token/*', logLevel: 'warn', handler });
  });
}

async function servePreview(request: FastifyRequest<{ Params: { token: string; '*'?: string } }>, reply: FastifyReply, links: PreviewLinks | undefined): Promise<void> {
  // The token never reaches the log: the route is logged by its pattern only.
  const problem = (status: number, code: string, message: string) => reply.code(status).header('cache-control', 'no-store').send({ error_id: request.id, errors: [{ message, code, metadata: {} }] });
  if (!links) return problem(404, 'preview_not_found', 'no such preview link');
  const found = await links.lookup(request.params.token);
  if (found.state === 'unknown') return problem(404, 'preview_not_found', 'no such preview link');
  if (found.state === 'expired') return problem(410, 'preview_expired', 'this preview link has expired');
  const relay = links.relay();
  if (!relay) return problem(503, 'agent_hub_off', 'previews are unavailable: the Agent Hub is off');

  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  const rest = request.params['*'] ?? '';
  const { record } = found;
  const destination = links.upstream({ namespace: record.namespace, name: record.service, port: record.port }, `/${rest}${query}`);
  const headers = relayableHeaders(Object.entries(request.headers)).filter(([name]) => name !== 'cookie');
  const controller = new AbortController();
  request.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  const body = request.body as NodeJS.ReadableStream | undefined;
  const answer = await relay.open(
    record.tenant,
    record.agent,
    { method: request.method, destination, headers, ...(body && request.method !== 'GET' && request.method !== 'HEAD' ? { body: body as AsyncIterable<Buffer> } : {}) },
    controller.signal,
  );
  reply.code(answer.status);
  for (const [name, value] of answer.headers) {
    if (!HOP_BY_HOP.has(name.toLowerCase())) reply.header(name, value);
  }
  reply.header('cache-control', 'no-store');
  return reply.send(answer.body);
}
