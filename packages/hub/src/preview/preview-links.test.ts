import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../agent-hub/index.js';
import { openHubDatabase, type HubDatabase } from '../db/index.js';
import { SqlPreviewRepository, type PreviewsTable } from '../db/previews.js';
import type { HubRepositories } from '../contracts.js';
import { exposeServicesStepKind } from './expose-services-step.js';
import { createPreviewLinks, type PreviewLinks } from './preview-links.js';
import { registerPreviewRoute } from './preview-route.js';
import { hashPreviewToken } from './preview-token.js';
import { clusterDnsUpstream, serviceProxyUpstream } from './upstream.js';

/**
 * Preview links on a real SQLite database, served by a real fastify route; the relay stands
 * in for the Agent Hub by forwarding to a real HTTP server on 127.0.0.1 (the way an agent would).
 */
describe('preview links', () => {
  let dir: string;
  let database: HubDatabase;
  let repositories: HubRepositories;
  let upstream: Server;
  let upstreamPort: number;
  let app: FastifyInstance;
  let links: PreviewLinks;
  let clock = 1_000_000;
  const seen: Array<{ url: string; headers: IncomingHttpHeaders; body: string; agent: string }> = [];

  // Forwards what the route relays to the local server, recording which agent it was for.
  const relay: Relay = {
    async open(tenant, identifier, request) {
      const destination = 'url' in request.destination ? new URL(request.destination.url) : new URL(`http://127.0.0.1${request.destination.clusterPath}`);
      const chunks: Buffer[] = [];
      if (request.body) for await (const chunk of request.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
      const response = await fetch(`http://127.0.0.1:${upstreamPort}${destination.pathname}${destination.search}`, {
        method: request.method,
        headers: [...request.headers, ['x-agent', `${tenant}/${identifier}`]],
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      return { status: response.status, headers: [...response.headers.entries()], body: Readable.from(Buffer.from(await response.arrayBuffer())) };
    },
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-preview-'));
    database = await openHubDatabase({ sqlitePath: join(dir, 'hub.db') });
    repositories = database.repositories({ masterKey: randomBytes(32) });
    await repositories.tenants.ensure('acme');
    await repositories.targets.put({ tenant: 'acme', name: 'staging', kind: 'agent', ref: 'edge-1' });
    await repositories.targets.put({ tenant: 'acme', name: 'local', kind: 'kubeconfig', ref: 'kind-dev' });
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body, agent: String(req.headers['x-agent']) });
        res.writeHead(201, { 'content-type': 'text/plain', 'x-upstream': 'yes' }).end(`hello ${req.method} ${req.url}`);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamPort = (upstream.address() as AddressInfo).port;
    links = createPreviewLinks({
      previews: new SqlPreviewRepository(database.db),
      targets: repositories.targets,
      relay: () => relay,
      publicUrl: () => 'https://hub.example/',
      now: () => clock,
    });
    app = Fastify();
    registerPreviewRoute(app, () => links);
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => upstream?.close(resolve));
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const expose = (account: string, ttlMs = 60_000) => links.expose({ tenant: 'acme', deploymentId: 'd-1', target: 'prod', account, namespace: 'shop', service: 'web', port: 8080, ttlMs });

  it('mints a 256-bit token per link and stores only its SHA-256', async () => {
    const link = await expose('staging');
    const token = link.url.split('/')[4] as string;
    expect(link.url).toBe(`https://hub.example/preview/${token}/`);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(link.expiresAt).toBe(clock + 60_000);
    const rows = await database.db.withTables<{ ferry_hub_previews: PreviewsTable }>().selectFrom('ferry_hub_previews').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.map((r) => r.token_hash)).toContain(hashPreviewToken(token));
    expect(await new SqlPreviewRepository(database.db).findByTokenHash(hashPreviewToken(token))).toMatchObject({ tenant: 'acme', agent: 'edge-1', namespace: 'shop', service: 'web', port: 8080 });
    const other = await expose('staging');
    expect(other.url).not.toBe(link.url);
  });

  it('refuses a target that is not served by an agent, naming it', async () => {
    await expect(expose('local')).rejects.toThrow(/target "prod".*account "local" of tenant "acme" is a kubeconfig target/);
    await expect(expose('nowhere')).rejects.toThrow(/account "nowhere" of tenant "acme" is no agent target/);
  });

  it('relays method, path, query and body to the Service through the agent, without the caller credentials', async () => {
    const link = await expose('staging');
    const path = new URL(link.url).pathname;
    const answer = await app.inject({ method: 'POST', url: `${path}api/items?q=1`, payload: 'a body', headers: { 'content-type': 'text/plain', authorization: 'Bearer secret-token', cookie: 'session=secret', 'x-custom': 'kept' } });
    expect(answer.statusCode).toBe(201);
    expect(answer.body).toBe('hello POST /api/v1/namespaces/shop/services/web:8080/proxy/api/items?q=1');
    expect(answer.headers['x-upstream']).toBe('yes');
    const last = seen.at(-1);
    expect(last?.agent).toBe('acme/edge-1');
    expect(last?.body).toBe('a body');
    expect(last?.headers['x-custom']).toBe('kept');
    expect(last?.headers.authorization).toBeUndefined();
    expect(last?.headers.cookie).toBeUndefined();
  });

  it('answers 410 once the TTL has passed and 404 for an unknown token', async () => {
    const link = await expose('staging', 5_000);
    const path = new URL(link.url).pathname;
    expect((await app.inject({ url: path })).statusCode).toBe(201);
    clock += 5_000;
    const gone = await app.inject({ url: path });
    expect(gone.statusCode).toBe(410);
    expect(gone.json().errors[0].code).toBe('preview_expired');
    expect((await app.inject({ url: `/preview/${randomBytes(32).toString('base64url')}/` })).statusCode).toBe(404);
    expect((await app.inject({ url: '/preview/short/' })).statusCode).toBe(404);
  });
});

describe('preview upstreams', () => {
  it('default to the API server service proxy of the agent cluster', () => {
    expect(serviceProxyUpstream({ namespace: 'shop', name: 'web', port: 80 }, '/a/b?c=d')).toEqual({ clusterPath: '/api/v1/namespaces/shop/services/web:80/proxy/a/b?c=d' });
    expect(clusterDnsUpstream({ namespace: 'shop', name: 'web', port: 80 }, '/')).toEqual({ url: 'http://web.shop.svc.cluster.local:80/' });
  });
});

describe('the exposeServices step kind without a hub', () => {
  it('fails naming what is missing instead of doing nothing', async () => {
    const kind = exposeServicesStepKind(undefined);
    await expect(kind.run({} as never)).rejects.toThrow(/exposeServices needs a Ferry hub with an Agent Hub/);
    expect(() => kind.validate?.({ services: [] }, { path: 'strategies.c.canary.steps[1].exposeServices', config: {} as never })).toThrow(/steps\[1\]\.exposeServices\.services: list at least one/);
  });
});
