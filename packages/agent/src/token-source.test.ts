import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FerryUnauthenticatedError } from '@ferry/core';
import { TokenSource } from './token-source.js';

describe('TokenSource (client credentials)', () => {
  let server: Server;
  let issuer: string;
  const calls: Array<{ url: string; authorization?: string; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => {
        calls.push({ url: req.url ?? '', body: Buffer.concat(parts).toString(), ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
        if (req.url === '/oidc/.well-known/openid-configuration') return void res.end(JSON.stringify({ token_endpoint: `${issuer}/token` }));
        const good = `Basic ${Buffer.from('agent%3A1:s3cret').toString('base64')}`;
        if (req.url === '/oidc/token' && req.headers.authorization === good) return void res.end(JSON.stringify({ access_token: `token-${calls.length}`, expires_in: 60 }));
        res.writeHead(401).end('{"error":"invalid_client"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oidc`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('discovers the token endpoint, authenticates with Basic, caches the token and refreshes on demand', async () => {
    const tokens = new TokenSource({ issuer, clientId: 'agent:1', clientSecret: 's3cret' });
    const first = await tokens.get();
    expect(first.value).toMatch(/^token-/);
    expect(first.expiresAt).toBeGreaterThan(Date.now() + 55_000);
    expect(await tokens.get()).toBe(first);
    const fresh = await tokens.get(true);
    expect(fresh.value).not.toBe(first.value);
    expect(calls.map((c) => c.url)).toEqual(['/oidc/.well-known/openid-configuration', '/oidc/token', '/oidc/token']);
    expect(calls[1]!.body).toBe('grant_type=client_credentials');
  });

  it('reports refused credentials without the secret', async () => {
    const error = await new TokenSource({ tokenUrl: `${issuer}/token`, clientId: 'agent:1', clientSecret: 'wrong-secret' }).get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FerryUnauthenticatedError);
    expect((error as Error).message).toContain('agent:1');
    expect((error as Error).message).not.toContain('wrong-secret');
  });
});
