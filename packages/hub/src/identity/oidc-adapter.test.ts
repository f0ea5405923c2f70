import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubDatabase } from '../db/open-hub-database.js';
import { SqlOidcAdapter } from './oidc-adapter.js';
import { loadOrCreateSigningKeys } from './persisted-keys.js';
import { openTestHubDatabase } from '../test-support/test-database.js';

function describeAdapter(backend: string, open: () => Promise<{ database: HubDatabase; cleanup(): Promise<void> }>): void {
  describe(`oidc-provider storage on ${backend}`, () => {
    let opened: { database: HubDatabase; cleanup(): Promise<void> };
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened?.cleanup();
    });
    const id = () => randomBytes(8).toString('hex');

    it('stores, finds by id, uid and user code, and destroys', async () => {
      const sessions = new SqlOidcAdapter(opened.database.db, 'Session');
      const devices = new SqlOidcAdapter(opened.database.db, 'DeviceCode');
      const sessionId = id();
      const uid = id();
      await sessions.upsert(sessionId, { uid, accountId: 'u1' }, 60);
      expect(await sessions.find(sessionId)).toEqual({ uid, accountId: 'u1' });
      expect(await sessions.findByUid(uid)).toEqual({ uid, accountId: 'u1' });
      // Models are separate namespaces.
      expect(await devices.find(sessionId)).toBeUndefined();

      const deviceId = id();
      await devices.upsert(deviceId, { userCode: 'ABCD-EFGH', clientId: 'ferry-cli' }, 60);
      expect(await devices.findByUserCode('ABCD-EFGH')).toMatchObject({ clientId: 'ferry-cli' });
      await sessions.upsert(sessionId, { uid, accountId: 'u2' }, 60);
      expect(await sessions.find(sessionId)).toEqual({ uid, accountId: 'u2' });
      await sessions.destroy(sessionId);
      expect(await sessions.find(sessionId)).toBeUndefined();
    });

    it('honours expiry', async () => {
      const codes = new SqlOidcAdapter(opened.database.db, 'AuthorizationCode');
      const shortId = id();
      const foreverId = id();
      await codes.upsert(shortId, { accountId: 'u1' }, 1);
      await codes.upsert(foreverId, { accountId: 'u1' });
      expect(await codes.find(shortId)).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await codes.find(shortId)).toBeUndefined();
      expect(await codes.find(foreverId)).toBeDefined();
    });

    it('marks consumption and revokes everything of a grant', async () => {
      const codes = new SqlOidcAdapter(opened.database.db, 'AuthorizationCode');
      const refresh = new SqlOidcAdapter(opened.database.db, 'RefreshToken');
      const grantId = id();
      const [codeId, refreshId, otherId] = [id(), id(), id()];
      await codes.upsert(codeId, { grantId }, 60);
      await refresh.upsert(refreshId, { grantId }, 60);
      await refresh.upsert(otherId, { grantId: id() }, 60);
      const before = Math.floor(Date.now() / 1000);
      await codes.consume(codeId);
      const consumed = (await codes.find(codeId))?.consumed as number;
      expect(consumed).toBeGreaterThanOrEqual(before);
      await codes.revokeByGrantId(grantId);
      expect(await codes.find(codeId)).toBeUndefined();
      expect(await refresh.find(refreshId)).toBeUndefined();
      expect(await refresh.find(otherId)).toBeDefined();
    });

    it('creates the signing keys once and shares them (sealed with the master key)', async () => {
      const masterKey = randomBytes(32);
      const [first, second] = await Promise.all([loadOrCreateSigningKeys(opened.database.db, masterKey), loadOrCreateSigningKeys(opened.database.db, masterKey)]);
      expect(second.publicJwks).toEqual(first.publicJwks);
      expect(first.publicJwks.keys[0]).not.toHaveProperty('d');
      const row = await opened.database.db.selectFrom('ferry_hub_oidc').select('payload').where('model', '=', 'FerryKeys').where('id', '=', 'signing').executeTakeFirstOrThrow();
      expect(row.payload).not.toContain(String(first.privateJwks.keys[0]?.d));
      await expect(loadOrCreateSigningKeys(opened.database.db, randomBytes(32))).rejects.toThrow(/master key/);
    });
  });
}

describeAdapter('SQLite', () => openTestHubDatabase('sqlite'));
describeAdapter('PostgreSQL', () => openTestHubDatabase('postgres'));
