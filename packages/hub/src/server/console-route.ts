import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const CONSOLE_PREFIX = '/console/';

export interface ConsoleRouteOptions {
  /** The built console (`consoleAssetsDir()` of `@ferry/console`): index.html and assets/. */
  assetsDir: string;
  /**
   * Where the console's login returns (authorization code + PKCE). Must be one of the
   * identity's `consoleRedirectUris`. Default: `<the page's origin>/console/callback`.
   */
  redirectUri?: string;
  /** The OIDC issuer the console signs in with. Default: `<the page's origin>/oidc`. */
  issuer?: string;
}

/**
 * Serves the web console under `/console/`: hashed assets cached for a year, every other
 * path answers index.html (the console routes in the browser), and `/console/config.json`
 * tells the console its issuer, client and redirect URI. The page is locked down with a
 * CSP: scripts and styles only from the hub itself, no frames.
 */
export async function registerConsole(app: FastifyInstance, options: ConsoleRouteOptions): Promise<void> {
  if (!existsSync(join(options.assetsDir, 'index.html'))) {
    throw new Error(`the console is not built: no index.html in ${options.assetsDir} (run npm run build in packages/console)`);
  }
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('x-frame-options', 'DENY');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    });
    await scope.register(fastifyStatic, {
      root: options.assetsDir,
      prefix: CONSOLE_PREFIX,
      wildcard: false,
      index: false,
      // Our own cache headers below, not the plugin's max-age=0.
      cacheControl: false,
      // Vite hashes asset names: they never change, index.html always may.
      setHeaders: (res, path) => {
        res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });

    scope.get(`${CONSOLE_PREFIX}config.json`, async (request, reply) => {
      const origin = originOf(request.headers.host, request.protocol);
      return reply.header('cache-control', 'no-store').send({
        issuer: options.issuer ?? `${origin}/oidc`,
        clientId: 'ferry-console',
        redirectUri: options.redirectUri ?? `${origin}/console/callback`,
        apiBaseUrl: origin,
      });
    });

    const sendIndex = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
    scope.get('/console', async (_request, reply) => reply.redirect(CONSOLE_PREFIX, 308));
    scope.get(CONSOLE_PREFIX, async (_request, reply) => sendIndex(reply));
    // SPA fallback: a path that is no file is one of the console's own pages.
    scope.get(`${CONSOLE_PREFIX}*`, async (request, reply) => {
      const below = (request.params as { '*': string })['*'];
      if (below.startsWith('assets/')) return reply.code(404).type('text/plain').send('not found');
      return sendIndex(reply);
    });
  });
}

function originOf(host: string | undefined, protocol: string): string {
  return `${protocol}://${host ?? '127.0.0.1'}`;
}
