import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHubDatabase, type HubDatabase } from '../db/open-hub-database.js';
import { dropSchema, TEST_POSTGRES_URL, uniqueSchema } from './start-test-hub.js';

/** A hub database of its own for one test: a SQLite file in a temporary directory, or a fresh PostgreSQL schema. */
export async function openTestHubDatabase(kind: 'sqlite' | 'postgres'): Promise<{ database: HubDatabase; cleanup(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-hub-db-'));
    const database = await openHubDatabase({ sqlitePath: join(dir, 'nested', 'hub.db') });
    return {
      database,
      cleanup: async () => {
        await database.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = uniqueSchema();
  const database = await openHubDatabase({ connectionString: TEST_POSTGRES_URL, schema });
  return {
    database,
    cleanup: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
}
