import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleAssetsDir } from '@ferry/console';
import { startHub, type HubOptions, type RunningHub } from '@ferry/hub';
import { Agent, Headers, fetch as undiciFetch, type RequestInit } from 'undici';

export const ADMIN = { email: 'admin@ferry.test', password: 'console-e2e-password' };

export interface ConsoleHub {
  readonly url: string;
  readonly hub: RunningHub;
  /** fetch against the hub, trusting its local CA. */
  fetch(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  /** A client-credentials token with the organization grant (for setting scenarios up through the API). */
  machineToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real hub (TLS with its local CA, SQLite in a temporary directory, the bootstrap admin)
 * serving the built console at /console/ (startHub's `console` option) and running its
 * Agent Hub on a port picked at run time.
 */
export async function startConsoleHub(options: Pick<HubOptions, 'kubeconfig'> = {}): Promise<ConsoleHub> {
  if (!existsSync(join(consoleAssetsDir(), 'index.html'))) throw new Error('build the console first: npm run build in packages/console');
  const dataDir = await mkdtemp(join(tmpdir(), 'ferry-console-e2e-'));
  let hub: RunningHub;
  try {
    hub = await startHub({
      dataDir,
      host: '127.0.0.1',
      port: 0,
      logLevel: 'silent',
      bootstrapAdmin: ADMIN,
      console: { assetsDir: consoleAssetsDir() },
      agentHub: { port: 0 },
      ...options,
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const dispatcher = new Agent({ connect: hub.caCertPem ? { ca: hub.caCertPem } : {} });
  const fetch: ConsoleHub['fetch'] = async (path, init = {}) => {
    const { token, json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (json !== undefined) headers.set('content-type', 'application/json');
    return (await undiciFetch(new URL(path, hub.url), { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}), dispatcher })) as unknown as Response;
  };
  let token: Promise<string> | undefined;
  return {
    url: hub.url,
    hub,
    fetch,
    machineToken: () =>
      (token ??= (async () => {
        const role = `console-e2e-${randomBytes(3).toString('hex')}`;
        await hub.repositories.roles.put({ tenant: 'default', name: role, grants: [{ type: 'api', resource: 'organization', permission: 'full' }] });
        const { credential, clientSecret } = await hub.repositories.credentials.create({ tenant: 'default', name: role, roles: [role] });
        return clientCredentialsToken(fetch, credential.clientId, clientSecret);
      })()),
    async close() {
      await hub.close();
      await dispatcher.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function clientCredentialsToken(fetch: ConsoleHub['fetch'], clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch('/oidc/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!response.ok || !body.access_token) throw new Error(`client-credentials grant failed (HTTP ${response.status}): ${body.error ?? ''}`);
  return body.access_token;
}
