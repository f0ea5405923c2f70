/**
 * One behaviour suite for the hub's repositories and vault, run against every backend
 * (SQLite and PostgreSQL) by hub-repositories.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FerryConflictError, FerryError, FerryInputError, FerryNotFoundError } from '@ferry/core';
import type { HubDatabase } from './open-hub-database.js';
import { createHubRepositories, type SqlHubRepositories } from './repositories.js';

export interface OpenedBackend {
  database: HubDatabase;
  cleanup(): Promise<void>;
}

let tenantCounter = 0;
/** A tenant name unique to this run, so tests sharing a database never see each other. */
function uniqueTenant(label: string): string {
  tenantCounter += 1;
  return `${label}-${tenantCounter}-${randomBytes(3).toString('hex')}`;
}

export function describeHubRepositories(backend: string, open: () => Promise<OpenedBackend>): void {
  describe(`hub repositories on ${backend}`, () => {
    let opened: OpenedBackend;
    let repos: SqlHubRepositories;
    let deploymentsOf: Set<string>;
    const masterKey = randomBytes(32);

    beforeAll(async () => {
      opened = await open();
      deploymentsOf = new Set();
      repos = createHubRepositories(opened.database, { masterKey, hasDeployments: async (tenant) => deploymentsOf.has(tenant) });
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    async function twoTenants(): Promise<[string, string]> {
      const a = uniqueTenant('a');
      const b = uniqueTenant('b');
      await repos.tenants.ensure(a);
      await repos.tenants.ensure(b);
      return [a, b];
    }

    describe('tenants', () => {
      it('ensure is idempotent and lists the tenant once', async () => {
        const name = uniqueTenant('t');
        const first = await repos.tenants.ensure(name);
        const second = await repos.tenants.ensure(name);
        expect(second).toEqual(first);
        expect((await repos.tenants.list()).filter((t) => t.name === name)).toHaveLength(1);
        expect(await repos.tenants.get(name)).toEqual(first);
        expect(await repos.tenants.get(`${name}-missing`)).toBeNull();
      });

      it('rejects a bad name naming the field', async () => {
        await expect(repos.tenants.ensure('bad name!')).rejects.toThrow(FerryInputError);
        await expect(repos.tenants.ensure('bad name!')).rejects.toThrow(/^tenant:/);
      });

      it('refuses deletion while credentials, agents or deployments remain, then removes the tenant with its configuration', async () => {
        const [tenant] = await twoTenants();
        const { credential } = await repos.credentials.create({ tenant, name: 'ci', roles: [] });
        await expect(repos.tenants.delete(tenant)).rejects.toThrow(FerryConflictError);
        await repos.credentials.delete(tenant, credential.clientId);

        const agent = { identifier: 'prod', tenant, instanceId: 'i-1', version: '1.0.0', hubReplica: 'r1', address: '10.0.0.1', connectedAt: 1, lastHeartbeatAt: 1, clusterRole: true };
        await repos.agents.upsert(agent);
        await expect(repos.tenants.delete(tenant)).rejects.toThrow(/agents/);
        await repos.agents.remove(tenant, 'prod', 'i-1');

        deploymentsOf.add(tenant);
        await expect(repos.tenants.delete(tenant)).rejects.toThrow(/deployments/);
        deploymentsOf.delete(tenant);

        await repos.roles.put({ tenant, name: 'dev', grants: [{ type: 'api', resource: 'deployment', permission: 'full' }] });
        await repos.secrets.put(tenant, 'TOKEN', 'value-1');
        await repos.tenants.delete(tenant);
        expect(await repos.tenants.get(tenant)).toBeNull();
        expect(await repos.roles.list(tenant)).toEqual([]);
        expect(await repos.secrets.list(tenant)).toEqual([]);
        await expect(repos.tenants.delete(tenant)).rejects.toThrow(FerryNotFoundError);
      });
    });

    describe('users', () => {
      it('verifies passwords (case-insensitive email) and refuses wrong ones', async () => {
        const [tenant] = await twoTenants();
        const email = `Alice.${tenant}@Example.com`;
        const { user, invitationCode } = await repos.users.create({ tenant, email, roles: ['dev'], password: 'correct horse battery' });
        expect(invitationCode).toBeUndefined();
        expect(user).toMatchObject({ tenant, email: email.toLowerCase(), roles: ['dev'], invited: false });
        expect((await repos.users.verifyPassword(email.toUpperCase(), 'correct horse battery'))?.id).toBe(user.id);
        expect(await repos.users.verifyPassword(email, 'wrong horse battery')).toBeNull();
        expect(await repos.users.verifyPassword(`nobody.${tenant}@example.com`, 'correct horse battery')).toBeNull();
        const row = await opened.database.db.selectFrom('ferry_hub_users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
        expect(row.password_hash).toMatch(/^scrypt\$/);
        expect(row.password_hash).not.toContain('correct horse battery');
      });

      it('refuses a duplicate email and bad input, naming the field', async () => {
        const [a, b] = await twoTenants();
        const email = `bob.${a}@example.com`;
        await repos.users.create({ tenant: a, email, roles: [], password: 'password-1' });
        await expect(repos.users.create({ tenant: b, email, roles: [], password: 'password-2' })).rejects.toThrow(FerryConflictError);
        await expect(repos.users.create({ tenant: a, email: 'not-an-email', roles: [] })).rejects.toThrow(/^email:/);
        await expect(repos.users.create({ tenant: a, email: `c.${a}@example.com`, roles: [], password: 'short' })).rejects.toThrow(/^password:/);
        await expect(repos.users.create({ tenant: uniqueTenant('missing'), email: `d.${a}@example.com`, roles: [] })).rejects.toThrow(FerryNotFoundError);
      });

      it('invites without a password: the code is answered once and works once', async () => {
        const [tenant] = await twoTenants();
        const email = `invitee.${tenant}@example.com`;
        const { user, invitationCode } = await repos.users.create({ tenant, email, roles: ['viewer'] });
        expect(user.invited).toBe(true);
        expect(invitationCode).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(await repos.users.verifyPassword(email, 'anything-at-all')).toBeNull();
        const row = await opened.database.db.selectFrom('ferry_hub_users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
        expect(JSON.stringify(row)).not.toContain(invitationCode);

        const accepted = await repos.users.acceptInvitation(invitationCode as string, 'new password 1');
        expect(accepted).toMatchObject({ id: user.id, invited: false });
        expect((await repos.users.verifyPassword(email, 'new password 1'))?.id).toBe(user.id);
        await expect(repos.users.acceptInvitation(invitationCode as string, 'other password')).rejects.toThrow(FerryNotFoundError);
        await expect(repos.users.acceptInvitation('made-up-code', 'other password')).rejects.toThrow(FerryNotFoundError);
      });

      it("keeps tenants apart: B never reads or changes A's users", async () => {
        const [a, b] = await twoTenants();
        const { user } = await repos.users.create({ tenant: a, email: `carol.${a}@example.com`, roles: [], password: 'password-a' });
        expect(await repos.users.get(b, user.id)).toBeNull();
        expect((await repos.users.list(b)).map((u) => u.id)).not.toContain(user.id);
        expect((await repos.users.list(a)).map((u) => u.id)).toEqual([user.id]);
        await expect(repos.users.setRoles(b, user.id, ['admin'])).rejects.toThrow(FerryNotFoundError);
        await expect(repos.users.delete(b, user.id)).rejects.toThrow(FerryNotFoundError);
        expect((await repos.users.setRoles(a, user.id, ['admin', 'admin', 'dev'])).roles).toEqual(['admin', 'dev']);
        await repos.users.delete(a, user.id);
        expect(await repos.users.get(a, user.id)).toBeNull();
      });
    });

    describe('credentials', () => {
      it('answers the secret once, keeps it sealed and hands it back only through secretOf', async () => {
        const [a, b] = await twoTenants();
        const { credential, clientSecret } = await repos.credentials.create({ tenant: a, name: 'ci', roles: ['deployer'] });
        expect(clientSecret.length).toBeGreaterThanOrEqual(40);
        expect(credential).toMatchObject({ tenant: a, name: 'ci', roles: ['deployer'] });
        expect(JSON.stringify(await repos.credentials.list(a))).not.toContain(clientSecret);
        expect(JSON.stringify(await repos.credentials.get(credential.clientId))).not.toContain(clientSecret);
        const row = await opened.database.db.selectFrom('ferry_hub_credentials').selectAll().where('client_id', '=', credential.clientId).executeTakeFirstOrThrow();
        expect(JSON.stringify(row)).not.toContain(clientSecret);
        expect(await repos.credentials.secretOf(credential.clientId)).toBe(clientSecret);

        await expect(repos.credentials.create({ tenant: a, name: 'ci', roles: [] })).rejects.toThrow(FerryConflictError);
        const other = await repos.credentials.create({ tenant: b, name: 'ci', roles: [] });
        expect(other.credential.clientId).not.toBe(credential.clientId);
        expect((await repos.credentials.list(b)).map((c) => c.clientId)).toEqual([other.credential.clientId]);

        await expect(repos.credentials.delete(b, credential.clientId)).rejects.toThrow(FerryNotFoundError);
        await repos.credentials.delete(a, credential.clientId);
        expect(await repos.credentials.get(credential.clientId)).toBeNull();
        expect(await repos.credentials.secretOf(credential.clientId)).toBeNull();
        await repos.credentials.delete(b, other.credential.clientId);
      });

      it("keeps a credential's own token lifetime, within a minute to a year", async () => {
        const [a] = await twoTenants();
        const { credential } = await repos.credentials.create({ tenant: a, name: 'spinnaker', roles: [], tokenTtlSeconds: 30 * 24 * 3600 });
        expect(credential.tokenTtlSeconds).toBe(2_592_000);
        expect((await repos.credentials.get(credential.clientId))?.tokenTtlSeconds).toBe(2_592_000);
        const plain = await repos.credentials.create({ tenant: a, name: 'ci', roles: [] });
        expect((await repos.credentials.list(a)).map((c) => [c.name, c.tokenTtlSeconds])).toEqual([
          ['ci', null],
          ['spinnaker', 2_592_000],
        ]);
        await expect(repos.credentials.create({ tenant: a, name: 'too-short', roles: [], tokenTtlSeconds: 30 })).rejects.toThrow(/tokenTtlSeconds: must be at least 60 seconds/);
        await expect(repos.credentials.create({ tenant: a, name: 'too-long', roles: [], tokenTtlSeconds: 400 * 24 * 3600 })).rejects.toThrow(FerryInputError);
        await repos.credentials.delete(a, credential.clientId);
        await repos.credentials.delete(a, plain.credential.clientId);
      });

      it('rejects a credential without a name, naming the field', async () => {
        const [a] = await twoTenants();
        await expect(repos.credentials.create({ tenant: a, name: '', roles: [] })).rejects.toThrow(/^name:/);
      });
    });

    describe('roles', () => {
      it('resolves grants as the union of the named roles, per tenant', async () => {
        const [a, b] = await twoTenants();
        await repos.roles.put({ tenant: a, name: 'deployer', grants: [{ type: 'api', resource: 'deployment', permission: 'full' }] });
        await repos.roles.put({
          tenant: a,
          name: 'viewer',
          grants: [
            { type: 'api', resource: 'deployment', permission: 'full' },
            { type: 'api', resource: 'secret', permission: 'read' },
          ],
        });
        await repos.roles.put({ tenant: b, name: 'deployer', grants: [{ type: 'api', resource: 'organization', permission: 'full' }] });

        const grants = await repos.roles.grantsOf(a, ['deployer', 'viewer', 'unknown']);
        expect(grants).toHaveLength(2);
        expect(grants).toEqual(
          expect.arrayContaining([
            { type: 'api', resource: 'deployment', permission: 'full' },
            { type: 'api', resource: 'secret', permission: 'read' },
          ]),
        );
        expect(await repos.roles.grantsOf(a, ['unknown'])).toEqual([]);
        expect(await repos.roles.grantsOf(b, ['deployer'])).toEqual([{ type: 'api', resource: 'organization', permission: 'full' }]);
        expect((await repos.roles.list(b)).map((r) => r.name)).toEqual(['deployer']);
      });

      it('replaceAll swaps the whole set and rejects bad grants naming the path', async () => {
        const [a] = await twoTenants();
        await repos.roles.put({ tenant: a, name: 'old', grants: [] });
        const replaced = await repos.roles.replaceAll(a, [{ name: 'ops', grants: [{ type: 'api', resource: 'target', permission: 'read' }] }]);
        expect(replaced).toEqual([{ tenant: a, name: 'ops', grants: [{ type: 'api', resource: 'target', permission: 'read' }] }]);
        const bad = [{ name: 'x', grants: [{ type: 'api', resource: 'everything', permission: 'full' }] }] as never;
        await expect(repos.roles.replaceAll(a, bad)).rejects.toThrow(/^0\.grants\.0\.resource:/);
        await expect(repos.roles.replaceAll(a, [{ name: 'dup', grants: [] }, { name: 'dup', grants: [] }])).rejects.toThrow(FerryInputError);
        expect((await repos.roles.list(a)).map((r) => r.name)).toEqual(['ops']);
        await expect(repos.roles.delete(a, 'old')).rejects.toThrow(FerryNotFoundError);
        await repos.roles.delete(a, 'ops');
        expect(await repos.roles.list(a)).toEqual([]);
      });
    });

    describe('secrets', () => {
      it('writes, lists without values, reveals and rotates', async () => {
        const [a] = await twoTenants();
        const value = `s3cr3t-${randomBytes(8).toString('hex')}`;
        const created = await repos.secrets.put(a, 'DATADOG_API_KEY', value);
        expect(JSON.stringify(created)).not.toContain(value);
        expect(JSON.stringify(await repos.secrets.list(a))).not.toContain(value);
        expect(await repos.secrets.reveal(a, 'DATADOG_API_KEY')).toBe(value);

        const before = await opened.database.db.selectFrom('ferry_hub_secrets').selectAll().where('tenant', '=', a).executeTakeFirstOrThrow();
        expect(JSON.stringify(before)).not.toContain(value);
        const rotated = await repos.secrets.put(a, 'DATADOG_API_KEY', 'second value');
        expect(rotated.createdAt).toBe(created.createdAt);
        expect(rotated.updatedAt).toBeGreaterThanOrEqual(created.updatedAt);
        expect(await repos.secrets.reveal(a, 'DATADOG_API_KEY')).toBe('second value');
        const after = await opened.database.db.selectFrom('ferry_hub_secrets').selectAll().where('tenant', '=', a).executeTakeFirstOrThrow();
        expect(after.iv).not.toBe(before.iv);
        expect(after.ciphertext).not.toBe(before.ciphertext);
        expect(await repos.secrets.list(a)).toHaveLength(1);

        await repos.secrets.delete(a, 'DATADOG_API_KEY');
        await expect(repos.secrets.reveal(a, 'DATADOG_API_KEY')).rejects.toThrow(FerryNotFoundError);
        await expect(repos.secrets.delete(a, 'DATADOG_API_KEY')).rejects.toThrow(FerryNotFoundError);
      });

      it("keeps tenants apart and refuses a ciphertext moved to another tenant or name (AAD)", async () => {
        const [a, b] = await twoTenants();
        const value = `only-for-a-${randomBytes(8).toString('hex')}`;
        await repos.secrets.put(a, 'TOKEN', value);
        await repos.secrets.put(b, 'OTHER', 'b value');
        await expect(repos.secrets.reveal(b, 'TOKEN')).rejects.toThrow(FerryNotFoundError);
        expect((await repos.secrets.list(b)).map((s) => s.name)).toEqual(['OTHER']);

        // Copy A's sealed row under another name in A: the name is in the AAD.
        const row = await opened.database.db.selectFrom('ferry_hub_secrets').selectAll().where('tenant', '=', a).where('name', '=', 'TOKEN').executeTakeFirstOrThrow();
        await opened.database.db.insertInto('ferry_hub_secrets').values({ ...row, name: 'STOLEN' }).execute();
        const renamed = await repos.secrets.reveal(a, 'STOLEN').catch((error: unknown) => error);
        expect(renamed).toBeInstanceOf(FerryError);
        expect((renamed as FerryError).code).toBe('decryption_failed');
        expect(String((renamed as Error).message)).not.toContain(value);

        // Overwrite B's row with A's ciphertext, data key and all: B's tenant is in the AAD and keys.
        await opened.database.db
          .updateTable('ferry_hub_secrets')
          .set({ ciphertext: row.ciphertext, iv: row.iv, tag: row.tag, data_key_id: row.data_key_id })
          .where('tenant', '=', b)
          .where('name', '=', 'OTHER')
          .execute();
        await expect(repos.secrets.reveal(b, 'OTHER')).rejects.toThrow(/could not be decrypted|no such data key/);
        // And even with B's own data key id, A's ciphertext does not open under B's AAD.
        const bKey = await opened.database.db.selectFrom('ferry_hub_data_keys').select('id').where('tenant', '=', b).executeTakeFirstOrThrow();
        await opened.database.db.updateTable('ferry_hub_secrets').set({ data_key_id: bKey.id }).where('tenant', '=', b).where('name', '=', 'OTHER').execute();
        await expect(repos.secrets.reveal(b, 'OTHER')).rejects.toThrow(/could not be decrypted/);
        expect(await repos.secrets.reveal(a, 'TOKEN')).toBe(value);
      });

      it('does not open with another master key and rejects bad names', async () => {
        const [a] = await twoTenants();
        await repos.secrets.put(a, 'KEY', 'v');
        const wrong = createHubRepositories(opened.database, { masterKey: randomBytes(32) });
        await expect(wrong.secrets.reveal(a, 'KEY')).rejects.toThrow(/master key/);
        await expect(repos.secrets.put(a, 'bad name', 'v')).rejects.toThrow(/^name:/);
        await expect(repos.secrets.put(uniqueTenant('missing'), 'KEY', 'v')).rejects.toThrow(FerryNotFoundError);
      });
    });

    describe('integrations, targets and agents', () => {
      it('stores integrations per tenant and replaces settings', async () => {
        const [a, b] = await twoTenants();
        const first = await repos.integrations.put({ tenant: a, type: 'prometheus', name: 'main', settings: { url: 'http://127.0.0.1:9090' } });
        const second = await repos.integrations.put({ tenant: a, type: 'prometheus', name: 'main', settings: { url: 'http://127.0.0.1:9091' } });
        expect(second.createdAt).toBe(first.createdAt);
        expect(second.settings).toEqual({ url: 'http://127.0.0.1:9091' });
        expect(await repos.integrations.get(b, 'prometheus', 'main')).toBeNull();
        expect(await repos.integrations.list(b)).toEqual([]);
        await expect(repos.integrations.put({ tenant: a, type: 'Bad Type', name: 'x', settings: {} })).rejects.toThrow(/^type:/);
        await expect(repos.integrations.delete(b, 'prometheus', 'main')).rejects.toThrow(FerryNotFoundError);
        await repos.integrations.delete(a, 'prometheus', 'main');
        expect(await repos.integrations.list(a)).toEqual([]);
      });

      it('stores targets per tenant', async () => {
        const [a, b] = await twoTenants();
        await repos.targets.put({ tenant: a, name: 'prod', kind: 'agent', ref: 'prod-agent' });
        expect(await repos.targets.get(a, 'prod')).toMatchObject({ kind: 'agent', ref: 'prod-agent' });
        expect((await repos.targets.put({ tenant: a, name: 'prod', kind: 'kubeconfig', ref: 'kind-dev' })).kind).toBe('kubeconfig');
        expect(await repos.targets.get(b, 'prod')).toBeNull();
        await expect(repos.targets.put({ tenant: a, name: 'x', kind: 'ssh' as never, ref: 'r' })).rejects.toThrow(/^kind:/);
        await expect(repos.targets.delete(b, 'prod')).rejects.toThrow(FerryNotFoundError);
        await repos.targets.delete(a, 'prod');
        expect(await repos.targets.list(a)).toEqual([]);
      });

      it('upserts agents, records heartbeats and removes them', async () => {
        const [a, b] = await twoTenants();
        const agent = { identifier: 'prod', tenant: a, instanceId: 'i-1', version: '1.0.0', hubReplica: 'r1', address: '10.0.0.1:5000', connectedAt: 1000, lastHeartbeatAt: 1000, clusterRole: false };
        await repos.agents.upsert(agent);
        await repos.agents.upsert({ ...agent, version: '1.1.0', hubReplica: 'r2' });
        await repos.agents.heartbeat(a, 'prod', 'i-1', 5000);
        expect(await repos.agents.list(a)).toEqual([{ ...agent, version: '1.1.0', hubReplica: 'r2', lastHeartbeatAt: 5000 }]);
        expect(await repos.agents.list(b)).toEqual([]);
        await expect(repos.agents.heartbeat(b, 'prod', 'i-1', 6000)).rejects.toThrow(FerryNotFoundError);
        await repos.agents.remove(a, 'prod', 'i-1');
        expect(await repos.agents.list(a)).toEqual([]);
      });
    });
  });
}
