import { FerryUnavailableError } from '@ferry/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Identity } from '../contracts.js';

export const OIDC_PREFIX = '/oidc';

/**
 * Hands every `/oidc` request, unread, to the identity service (oidc-provider parses its own
 * bodies): the route's content-type parser leaves the stream alone and the reply is hijacked.
 */
export function mountOidc(app: FastifyInstance, identity: () => Identity | undefined): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const current = identity();
      if (!current) throw new FerryUnavailableError('the identity service is starting', { code: 'hub_starting' });
      reply.hijack();
      current.handle(request.raw, reply.raw);
    };
    scope.all(OIDC_PREFIX, handler);
    scope.all(`${OIDC_PREFIX}/*`, handler);
  });
}
