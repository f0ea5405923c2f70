import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MemoryStore } from '@ferry/core/testing';
import { describeStoreConformance } from './store-conformance.js';
import { createPostgresStore } from './postgres.js';
import { createSqliteStore } from './sqlite.js';

/** The PostgreSQL the tests use (trust auth on loopback on these machines). */
const POSTGRES_URL = process.env.FERRY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describeStoreConformance('MemoryStore', async () => new MemoryStore());

describeStoreConformance('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-sqlite-'));
  const store = await createSqliteStore({ path: join(dir, 'nested', 'ferry.db') });
  return Object.assign(store, {
    close: async () => {
      await store.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

describeStoreConformance('PostgreSQL', async () => {
  // A schema of its own per test: isolated from other runs, dropped afterwards.
  const schema = `ferry_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const store = await createPostgresStore({ connectionString: POSTGRES_URL, schema });
  return Object.assign(store, {
    close: async () => {
      await store.destroy();
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    },
  });
});
