import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FerryInputError } from '@ferry/core';
import { openHubDatabase } from './open-hub-database.js';
import { createHubRepositories } from './repositories.js';
import { describeHubRepositories } from './repositories-conformance.js';
import { TEST_POSTGRES_URL } from '../test-support/start-test-hub.js';
import { openTestHubDatabase } from '../test-support/test-database.js';


describeHubRepositories('SQLite', () => openTestHubDatabase('sqlite'));
describeHubRepositories('PostgreSQL', () => openTestHubDatabase('postgres'));

describe('the hub database on SQLite', () => {
  it('keeps secret values and client secrets out of the database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-hub-bytes-'));
    try {
      const path = join(dir, 'hub.db');
      const database = await openHubDatabase({ sqlitePath: path });
      const repos = createHubRepositories(database, { masterKey: randomBytes(32) });
      await repos.tenants.ensure('default');
      const value = `plaintext-marker-${randomBytes(12).toString('hex')}`;
      const secretName = `VISIBLE_NAME_${randomBytes(6).toString('hex').toUpperCase()}`;
      await repos.secrets.put('default', secretName, value);
      const { clientSecret } = await repos.credentials.create({ tenant: 'default', name: 'ci', roles: [] });
      await database.close(); // checkpoints the WAL into the main file

      const files = [path, `${path}-wal`].filter((file) => existsSync(file));
      const bytes = Buffer.concat(files.map((file) => readFileSync(file)));
      // The name is stored in clear (so the check reads the right bytes); the values never are.
      expect(bytes.includes(Buffer.from(secretName))).toBe(true);
      expect(bytes.includes(Buffer.from(value))).toBe(false);
      expect(bytes.includes(Buffer.from(clientSecret))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migrates once: reopening the same file keeps the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-hub-reopen-'));
    try {
      const path = join(dir, 'hub.db');
      const masterKey = randomBytes(32);
      const first = await openHubDatabase({ sqlitePath: path });
      await createHubRepositories(first, { masterKey }).tenants.ensure('kept');
      await createHubRepositories(first, { masterKey }).secrets.put('kept', 'A', 'value-a');
      await first.close();
      const second = await openHubDatabase({ sqlitePath: path });
      const repos = second.repositories({ masterKey });
      expect((await repos.tenants.list()).map((t) => t.name)).toEqual(['kept']);
      expect(await repos.secrets.reveal('kept', 'A')).toBe('value-a');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the hub database on PostgreSQL', () => {
  it('refuses an invalid schema name before connecting', async () => {
    await expect(openHubDatabase({ connectionString: TEST_POSTGRES_URL, schema: 'drop table; --' })).rejects.toThrow(FerryInputError);
  });
});
