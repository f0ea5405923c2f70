import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { FerryInputError, FerryUnavailableError } from '@ferry/core';
import { cachedSqliteDialect } from '@ferry/store-sql';
import type { HubRepositories } from '../contracts.js';
import { HUB_MIGRATION_LOCK_TABLE, HUB_MIGRATION_TABLE, hubMigrationProvider } from './migrations.js';
import { createHubRepositories, type HubRepositoryOptions } from './repositories.js';
import type { HubDialectName, HubTables } from './schema.js';

export type HubDatabaseOptions =
  | {
      /** The SQLite file (created with its directory when missing); `:memory:` for a throwaway. */
      sqlitePath: string;
      /** How long a writer waits for another process's lock. Default 5 s. */
      busyTimeoutMs?: number;
    }
  | {
      /** e.g. `postgres://user@127.0.0.1:5432/ferry`. The password is never logged. */
      connectionString: string;
      /** Keep the hub's tables in this schema (created when missing). */
      schema?: string;
      /** Pool size. Default 10. */
      maxConnections?: number;
    };

export interface HubDatabase {
  readonly db: Kysely<HubTables>;
  readonly dialect: HubDialectName;
  /** Shorthand for `createHubRepositories(this, options)`. */
  repositories(options: HubRepositoryOptions): HubRepositories;
  close(): Promise<void>;
}

const PG_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens (and migrates) the hub's database: SQLite by default, PostgreSQL for replicas. */
export async function openHubDatabase(options: HubDatabaseOptions): Promise<HubDatabase> {
  const { db, dialect } = 'sqlitePath' in options ? openSqlite(options) : await openPostgres(options);
  try {
    await migrate(db, dialect);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const database: HubDatabase = {
    db,
    dialect,
    repositories: (repositoryOptions) => createHubRepositories(database, repositoryOptions),
    close: () => db.destroy(),
  };
  return database;
}

function openSqlite(options: { sqlitePath: string; busyTimeoutMs?: number }): { db: Kysely<HubTables>; dialect: HubDialectName } {
  try {
    if (options.sqlitePath !== ':memory:') mkdirSync(dirname(options.sqlitePath), { recursive: true });
    const database = new Database(options.sqlitePath);
    // WAL lets readers in other processes work while the hub writes; busy_timeout makes a
    // second writer wait instead of failing with SQLITE_BUSY.
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
    return { db: new Kysely<HubTables>({ dialect: cachedSqliteDialect(database) }), dialect: 'sqlite' };
  } catch (error) {
    throw new FerryUnavailableError(`cannot open the hub's SQLite database at ${options.sqlitePath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function openPostgres(options: {
  connectionString: string;
  schema?: string;
  maxConnections?: number;
}): Promise<{ db: Kysely<HubTables>; dialect: HubDialectName }> {
  if (options.schema !== undefined && !PG_IDENTIFIER.test(options.schema)) {
    throw new FerryInputError(`schema: invalid PostgreSQL schema name "${options.schema}" (lower-case letters, digits and _)`, {
      code: 'invalid_schema',
    });
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  try {
    // The identifier was validated above, so interpolating it is safe.
    if (options.schema) await pool.query(`create schema if not exists ${options.schema}`);
    else await pool.query('select 1');
  } catch (error) {
    await pool.end();
    throw new FerryUnavailableError(`cannot reach PostgreSQL at ${redact(options.connectionString)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { db: new Kysely<HubTables>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
}

async function migrate(db: Kysely<HubTables>, dialect: HubDialectName): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: hubMigrationProvider(dialect),
    migrationTableName: HUB_MIGRATION_TABLE,
    migrationLockTableName: HUB_MIGRATION_LOCK_TABLE,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    throw new FerryUnavailableError(`the hub's database migration failed: ${(error as Error).message}`, { cause: error });
  }
}

/** The connection string without its password, for error messages. */
function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable connection string)';
  }
}
