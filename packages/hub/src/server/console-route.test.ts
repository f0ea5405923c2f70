import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerConsole } from './console-route.js';

let dir: string;
let app: FastifyInstance;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-console-route-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  app = Fastify();
});

afterEach(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('registerConsole', () => {
  it('serves hashed assets for a year and index.html for every console page', async () => {
    await registerConsole(app, { assetsDir: dir });
    const asset = await app.inject({ url: '/console/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');
    for (const url of ['/console/', '/console/deployments/abc', '/console/callback?code=x&state=y']) {
      const page = await app.inject({ url });
      expect(page.statusCode, url).toBe(200);
      expect(page.body).toContain('<title>console</title>');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    }
    expect((await app.inject({ url: '/console' })).headers.location).toBe('/console/');
    expect((await app.inject({ url: '/console/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/console/../package.json' })).body).not.toContain('"name"');
  });

  it('tells the console its issuer, client and redirect URI (configurable)', async () => {
    await registerConsole(app, { assetsDir: dir, redirectUri: 'https://hub.example:8443/console/callback' });
    const config = await app.inject({ url: '/console/config.json', headers: { host: '127.0.0.1:8443' } });
    expect(config.json()).toEqual({
      issuer: 'http://127.0.0.1:8443/oidc',
      clientId: 'ferry-console',
      redirectUri: 'https://hub.example:8443/console/callback',
      apiBaseUrl: 'http://127.0.0.1:8443',
    });
  });

  it('refuses an assets directory without a built console', async () => {
    await rm(join(dir, 'index.html'));
    await expect(registerConsole(app, { assetsDir: dir })).rejects.toThrow(/not built/);
  });
});
