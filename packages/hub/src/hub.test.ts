import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub } from './hub.js';
import { startTestHub, type TestHub } from './test-support/index.js';

const SECRET_VALUE = 'sv-91c4e0-never-in-logs';

function capture(): { stream: Writable; text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('startHub (SQLite, local CA)', () => {
  let hub: TestHub;
  const logs = capture();

  beforeAll(async () => {
    hub = await startTestHub({ logLevel: 'info', logger: logs.stream });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('serves HTTPS trusted through <dataDir>/tls/ca.pem and reports ready', async () => {
    expect(hub.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(hub.hub.caCertPem).toBe(await readFile(join(hub.dataDir, 'tls', 'ca.pem'), 'utf8'));
    expect(hub.hub.issuer).toBe(`${hub.url}/oidc`);
    const ready = await hub.fetch('/health/readiness');
    expect(await ready.json()).toEqual({ status: 'UP', checks: { database: { status: 'UP' }, engine: { status: 'UP' } } });
  });

  it('mounts the OIDC service at /oidc and issues client-credentials tokens the API accepts', async () => {
    const discovery = await hub.fetch('/oidc/.well-known/openid-configuration');
    expect(discovery.status).toBe(200);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe(hub.hub.issuer);
    const token = await hub.tokenFor({ tenant: 'team-a', grants: [{ type: 'api', resource: 'deployment', permission: 'read' }] });
    const me = await hub.fetch('/api/v1/me', { token });
    expect(me.status).toBe(200);
    expect(JSON.stringify(await me.json())).toContain('team-a');
    const anonymous = await hub.fetch('/api/v1/deployments');
    expect(anonymous.status).toBe(401);
    const body = (await anonymous.json()) as { error_id: string; errors: Array<{ code: string }> };
    expect(body.error_id).toBeTruthy();
    expect(body.errors[0]?.code).toBeTruthy();
  });

  it('counts deployments by status on /metrics', async () => {
    const text = await (await hub.fetch('/metrics')).text();
    expect(text).toContain('ferry_deployments{status="RUNNING"} 0');
    expect(text).toContain('# TYPE ferry_step_duration_seconds histogram');
  });

  it('keeps tokens, client secrets and secret values out of its logs', async () => {
    const token = await hub.adminToken();
    const put = await hub.fetch('/api/v1/secrets/db-password', { method: 'PUT', token, json: { value: SECRET_VALUE } });
    expect(put.status).toBe(204);
    const { credential, clientSecret } = await hub.repositories.credentials.create({ tenant: 'default', name: 'ci', roles: [] });
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: credential.clientId, client_secret: clientSecret });
    await hub.fetch('/oidc/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const text = logs.text();
    expect(text).toContain('/api/v1/secrets/db-password');
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain(token);
    expect(text).not.toContain(clientSecret);
  });

  it('resolves a tenant-default kube context nobody configured with a clear error naming account and tenant', async () => {
    const { tenantClusterConnector } = await import('./engine-host/tenant-cluster-connector.js');
    const connector = tenantClusterConnector({ targets: hub.repositories.targets, agentConnectors: [] });
    await expect(connector.client({ account: 'prod-eu', namespace: 'web', tenant: 'team-a' })).rejects.toThrow('no target named "prod-eu" in tenant "team-a"');
    await hub.repositories.targets.put({ tenant: 'team-a', name: 'prod-eu', kind: 'agent', ref: 'agent-eu' });
    await expect(connector.client({ account: 'prod-eu', namespace: 'web', tenant: 'team-a' })).rejects.toThrow('agent "agent-eu", which is not connected');
  });
});

describe('startHub options', () => {
  it('refuses plain HTTP on a non-loopback host', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ferry-hub-plain-'));
    try {
      await expect(startHub({ dataDir, host: '0.0.0.0', port: 0, tls: { mode: 'plain' }, logLevel: 'silent' })).rejects.toThrow(
        'tls.mode: plain HTTP is allowed only on a loopback host (127.0.0.1, ::1, localhost), not on "0.0.0.0"',
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('warns that traffic is unencrypted in plain mode on loopback', async () => {
    const logs = capture();
    const hub = await startTestHub({ tls: { mode: 'plain' }, logLevel: 'info', logger: logs.stream });
    try {
      expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await hub.fetch('/health/liveness')).status).toBe(200);
      const warning = logs
        .text()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { level: number; msg: string })
        .find((line) => line.msg.includes('unencrypted'));
      expect(warning?.level).toBe(40);
    } finally {
      await hub.close();
    }
  });

  it('reuses the data directory on restart: same CA, same replica name, same master key', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ferry-hub-restart-'));
    try {
      const first = await startTestHub({ dataDir });
      const ca = first.hub.caCertPem;
      const replica = first.hub.replicaName;
      try {
        await first.repositories.tenants.ensure('default');
        await first.repositories.secrets.put('default', 'api-key', 'kept-across-restarts');
      } finally {
        await first.close();
      }
      const second = await startTestHub({ dataDir });
      try {
        expect(second.hub.caCertPem).toBe(ca);
        expect(second.hub.replicaName).toBe(replica);
        expect(replica).toMatch(/^hub-[a-z0-9-]+-[0-9a-f]{8}$/);
        expect(await second.repositories.secrets.reveal('default', 'api-key')).toBe('kept-across-restarts');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
