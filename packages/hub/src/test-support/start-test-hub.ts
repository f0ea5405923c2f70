import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Agent, Headers, fetch as undiciFetch, type RequestInit as UndiciRequestInit, type Response as UndiciResponse } from 'undici';
import type { Grant, HubRepositories } from '../contracts.js';
import { machineToken } from './machine-token.js';
import { startHub, type RunningHub } from '../hub.js';
import type { HubOptions } from '../options.js';

/** The PostgreSQL the tests use (trust auth on loopback). */
export const TEST_POSTGRES_URL = process.env.FERRY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestFetchInit = UndiciRequestInit & { token?: string; json?: unknown };

export interface TestHub {
  readonly url: string;
  readonly hub: RunningHub;
  readonly dataDir: string;
  /** Set for `database: 'postgres'`: the schema made for this hub (dropped by close()). */
  readonly schema?: string;
  readonly repositories: HubRepositories;
  /** fetch against the hub, trusting its CA; `token` becomes the bearer, `json` the body. */
  fetch(path: string, init?: TestFetchInit): Promise<UndiciResponse>;
  /** A token of tenant `default` with every grant (organization full). */
  adminToken(): Promise<string>;
  /** A machine credential in the tenant with these roles (made with these grants when given), then a client-credentials token. */
  tokenFor(input: { tenant: string; roles?: string[]; grants?: Grant[] }): Promise<string>;
  close(): Promise<void>;
}

export interface StartTestHubOptions extends Omit<HubOptions, 'dataDir' | 'database' | 'port' | 'host'> {
  database?: 'sqlite' | 'postgres';
  /** Reuse a data directory (a restart); default a fresh temporary one, removed by close(). */
  dataDir?: string;
  /** Reuse a PostgreSQL schema (a second replica); default a fresh one, dropped by close(). */
  schema?: string;
}

/** startHub in this process on 127.0.0.1 port 0, with a temporary data directory (and PG schema). */
export async function startTestHub(options: StartTestHubOptions = {}): Promise<TestHub> {
  const { database = 'sqlite', dataDir: givenDir, schema: givenSchema, ...rest } = options;
  const dataDir = givenDir ?? (await mkdtemp(join(tmpdir(), 'ferry-hub-test-')));
  const schema = database === 'postgres' ? (givenSchema ?? uniqueSchema()) : undefined;
  let hub: RunningHub;
  try {
    hub = await startHub({
      logLevel: 'silent',
      ...rest,
      dataDir,
      host: '127.0.0.1',
      port: 0,
      agentHub: { port: 0, ...rest.agentHub },
      ...(schema ? { database: { postgres: TEST_POSTGRES_URL, schema } } : {}),
    });
  } catch (error) {
    if (!givenDir) await rm(dataDir, { recursive: true, force: true });
    if (schema && !givenSchema) await dropSchema(schema);
    throw error;
  }
  const client = hubFetch(hub.url, hub.caCertPem);
  let admin: Promise<string> | undefined;
  const tokenFor = (input: { tenant: string; roles?: string[]; grants?: Grant[] }) => machineToken(hub.repositories, client.fetch, input);
  return {
    url: hub.url,
    hub,
    dataDir,
    ...(schema ? { schema } : {}),
    repositories: hub.repositories,
    fetch: client.fetch,
    adminToken: () => (admin ??= tokenFor({ tenant: 'default', grants: [{ type: 'api', resource: 'organization', permission: 'full' }] })),
    tokenFor,
    async close() {
      await hub.close();
      await client.close();
      if (!givenDir) await rm(dataDir, { recursive: true, force: true });
      if (schema && !givenSchema) await dropSchema(schema);
    },
  };
}

/** fetch bound to a hub's URL that trusts the hub's CA (when it has one). */
export function hubFetch(url: string, caCertPem?: string): { fetch: TestHub['fetch']; close(): Promise<void> } {
  const dispatcher = new Agent({ connect: caCertPem ? { ca: caCertPem } : {} });
  return {
    fetch(path, init = {}) {
      const { token, json, headers, ...rest } = init;
      const merged = new Headers(headers);
      if (token) merged.set('authorization', `Bearer ${token}`);
      if (json !== undefined) merged.set('content-type', 'application/json');
      return undiciFetch(new URL(path, url), {
        ...rest,
        headers: merged,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
        dispatcher,
      });
    },
    close: () => dispatcher.close(),
  };
}

/** The OAuth client-credentials grant against the hub's token endpoint. */
export async function clientCredentialsToken(fetch: TestHub['fetch'], clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch('/oidc/token', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!response.ok || !body.access_token) throw new Error(`client-credentials grant failed (HTTP ${response.status}): ${body.error ?? ''} ${body.error_description ?? ''}`);
  return body.access_token;
}

export function uniqueSchema(): string {
  return `ferry_hub_test_${randomBytes(5).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
