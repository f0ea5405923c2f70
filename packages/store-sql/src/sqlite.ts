import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { cachedSqliteDialect } from './sqlite-dialect.js';
import { FerryUnavailableError } from '@ferry/core';
import type { FerryDatabase } from './schema.js';
import { SqlStore } from './sql-store.js';

export interface SqliteStoreOptions {
  /** The database file; created with its directory when missing. `:memory:` for a throwaway. */
  path: string;
  /** How long a writer waits for another process's lock. Default 5 s. */
  busyTimeoutMs?: number;
}

/**
 * The embedded default: one SQLite file. WAL mode lets `ferry deploy status` read while an
 * engine in another process writes; the busy timeout makes a second writer wait, not fail.
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<SqlStore> {
  let database: Database.Database;
  try {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    database = new Database(options.path);
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
  } catch (error) {
    throw new FerryUnavailableError(`cannot open SQLite store at ${options.path}: ${(error as Error).message}`, { cause: error });
  }
  const store = new SqlStore(new Kysely<FerryDatabase>({ dialect: cachedSqliteDialect(database) }), 'sqlite');
  await store.migrate();
  return store;
}
