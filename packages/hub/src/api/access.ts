import { FerryUnauthenticatedError } from '@ferry/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext, GrantResource, Principal } from '../contracts.js';

/**
 * What a route needs from its caller, declared once in the route's `config.access`:
 * `public` routes need nothing, `authenticated` ones a valid bearer token, the rest a
 * valid token and the named grant.
 */
export type RouteAccess = { public: true } | { authenticated: true } | { resource: GrantResource; access: 'read' | 'write' };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    ferryPrincipal?: Principal;
  }
}

/**
 * The one authentication and authorization gate of the REST API. Runs as `onRequest`,
 * before the body is parsed or validated, so an anonymous or unauthorized caller learns
 * nothing about the shape of the input (401/403 always come before 400).
 */
export function createAccessGate(ctx: Pick<ApiContext, 'verifier' | 'requireGrant'>) {
  return async function accessGate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const access = request.routeOptions.config.access;
    if (access && 'public' in access) return;
    const token = bearerTokenOf(request.headers.authorization);
    const principal = await ctx.verifier.verify(token);
    if (!access || !('authenticated' in access)) {
      // A route that forgot to declare its access is treated as the strictest area: organization write.
      const needed = access ?? { resource: 'organization', access: 'write' as const };
      ctx.requireGrant(principal, needed.resource, needed.access);
    }
    request.ferryPrincipal = principal;
  };
}

function bearerTokenOf(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) throw new FerryUnauthenticatedError('a bearer access token is required (Authorization: Bearer <token>)', { code: 'unauthenticated' });
  return match[1];
}

/** The caller of a route behind the access gate. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = request.ferryPrincipal;
  if (!principal) throw new FerryUnauthenticatedError('the request was not authenticated', { code: 'unauthenticated' });
  return principal;
}
