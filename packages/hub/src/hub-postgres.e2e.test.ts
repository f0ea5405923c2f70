import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateMasterKeyFile } from './secrets/index.js';
import { startTestHub, type TestHub } from './test-support/index.js';

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  cleanups = [];
});

describe('two hub replicas on one PostgreSQL schema', () => {
  it('are ready, have different replica names and share tenants, secrets and tokens', async () => {
    const keyDir = await mkdtemp(join(tmpdir(), 'ferry-hub-key-'));
    cleanups.push(() => rm(keyDir, { recursive: true, force: true }));
    const keyFile = join(keyDir, 'master.key');
    generateMasterKeyFile(keyFile);

    // Behind one load balancer address: tokens name one issuer whichever replica issued them.
    const publicUrl = 'https://ferry.example.test';
    const a: TestHub = await startTestHub({ database: 'postgres', masterKey: { file: keyFile }, publicUrl });
    cleanups.push(() => a.close());
    const b: TestHub = await startTestHub({ database: 'postgres', schema: a.schema as string, masterKey: { file: keyFile }, publicUrl });
    cleanups.push(() => b.close());

    expect(a.hub.replicaName).not.toBe(b.hub.replicaName);
    expect(a.hub.issuer).toBe(`${publicUrl}/oidc`);
    for (const hub of [a, b]) expect((await hub.fetch('/health/readiness')).status).toBe(200);

    const token = await a.adminToken();
    expect((await a.fetch('/api/v1/secrets/shared', { method: 'PUT', token, json: { value: 'one-value' } })).status).toBe(204);
    expect(await b.repositories.secrets.reveal('default', 'shared')).toBe('one-value');
    // A token issued by one replica is accepted by the other (signing keys live in the database).
    const listed = await b.fetch('/api/v1/secrets', { token });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(await listed.json())).toContain('shared');

    const text = await (await b.fetch('/metrics')).text();
    expect(text).toContain('ferry_deployments{status="SUCCEEDED"} 0');
  });
});
