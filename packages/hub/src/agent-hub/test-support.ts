/**
 * Test helpers for the Agent Hub: a throwaway CA and server certificate, a token issuer
 * with a client-credentials endpoint and a TokenVerifier over its JWKS (standing in for
 * the hub's OIDC service in these tests), and in-memory repositories implementing the
 * hub's contracts. Not exported from the package.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FerryUnauthenticatedError } from '@ferry/core';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, createLocalJWKSet, type JWK } from 'jose';
import type { AgentRecord, AgentRepository, Grant, Principal, TargetRecord, TargetRepository, TokenVerifier } from '../contracts.js';

export interface TestTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A CA and a server certificate for 127.0.0.1 and `localhost`, made with openssl. */
export function makeTestTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-agenthub-tls-'));
  try {
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=ferry-test-ca');
    run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
    run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
    return { caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'), certPem: readFileSync(join(dir, 'server.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'server.key'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestClient {
  clientId: string;
  clientSecret: string;
  tenant: string;
  grants: Grant[];
  /** Token lifetime in seconds (default 300). */
  ttlSeconds?: number;
}

export interface TestIssuer {
  verifier: TokenVerifier;
  /** `http://127.0.0.1:PORT/oidc/token` (client_credentials, Basic auth). */
  tokenUrl: string;
  addClient(client: TestClient): void;
  /** Mints a token directly (for tokens the endpoint would never hand out, e.g. expired ones). */
  mint(client: Omit<TestClient, 'clientSecret'>, options?: { expiresInSeconds?: number; otherKey?: boolean }): Promise<string>;
  /** How many tokens the endpoint issued per client. */
  issued: Map<string, number>;
  close(): Promise<void>;
}

const ISSUER = 'https://ferry-test-issuer/oidc';

export async function startTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  const jwks = createLocalJWKSet({ keys: [jwk] });
  const clients = new Map<string, TestClient>();
  const issued = new Map<string, number>();

  const mint = async (client: Omit<TestClient, 'clientSecret'>, options: { expiresInSeconds?: number; otherKey?: boolean } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (options.expiresInSeconds ?? client.ttlSeconds ?? 300);
    return new SignJWT({ tenant: client.tenant, grants: client.grants, client_id: client.clientId })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience('ferry-hub')
      .setSubject(`client:${client.clientId}`)
      .setIssuedAt(now - 1)
      .setExpirationTime(exp)
      .sign(options.otherKey ? stranger.privateKey : privateKey);
  };

  const verifier: TokenVerifier = {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, jwks, { issuer: ISSUER, audience: 'ferry-hub' });
        const principal: Principal = {
          subject: String(payload.sub),
          kind: 'machine',
          name: String(payload.client_id),
          tenant: String(payload.tenant),
          roles: [],
          grants: payload.grants as Grant[],
          expiresAt: Number(payload.exp) * 1000,
        };
        return principal;
      } catch (error) {
        throw new FerryUnauthenticatedError(`invalid access token: ${(error as Error).message}`, { code: 'invalid_token' });
      }
    },
  };

  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(parts).toString());
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [id, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [];
      const client = id ? clients.get(id) : undefined;
      if (req.url !== '/oidc/token' || form.get('grant_type') !== 'client_credentials' || !client || client.clientSecret !== secret) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
        return;
      }
      issued.set(client.clientId, (issued.get(client.clientId) ?? 0) + 1);
      void mint(client).then((token) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: client.ttlSeconds ?? 300 })),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    verifier,
    tokenUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oidc/token`,
    addClient: (client) => clients.set(client.clientId, client),
    mint,
    issued,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** In-memory AgentRepository: the registry's persistence contract, for tests without a database. */
export class MemoryAgentRepository implements AgentRepository {
  readonly rows = new Map<string, AgentRecord>();
  async list(tenant: string): Promise<AgentRecord[]> {
    return [...this.rows.values()].filter((row) => row.tenant === tenant);
  }
  async upsert(agent: AgentRecord): Promise<void> {
    this.rows.set(`${agent.tenant}/${agent.identifier}/${agent.instanceId}`, { ...agent });
  }
  async heartbeat(tenant: string, identifier: string, instanceId: string, at: number): Promise<void> {
    const row = this.rows.get(`${tenant}/${identifier}/${instanceId}`);
    if (row) row.lastHeartbeatAt = at;
  }
  async remove(tenant: string, identifier: string, instanceId: string): Promise<void> {
    this.rows.delete(`${tenant}/${identifier}/${instanceId}`);
  }
}

export class MemoryTargetRepository implements TargetRepository {
  readonly rows = new Map<string, TargetRecord>();
  async list(tenant: string): Promise<TargetRecord[]> {
    return [...this.rows.values()].filter((row) => row.tenant === tenant);
  }
  async get(tenant: string, name: string): Promise<TargetRecord | null> {
    return this.rows.get(`${tenant}/${name}`) ?? null;
  }
  async put(target: Omit<TargetRecord, 'createdAt'>): Promise<TargetRecord> {
    const record = { ...target, createdAt: Date.now() };
    this.rows.set(`${target.tenant}/${target.name}`, record);
    return record;
  }
  async delete(tenant: string, name: string): Promise<void> {
    this.rows.delete(`${tenant}/${name}`);
  }
}

export const AGENT_HUB_GRANT: Grant[] = [{ type: 'api', resource: 'agentHub', permission: 'full' }];

/** Polls until `check` returns true (or throws after the timeout). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
