import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { FerryUnavailableError } from '@ferry/core';
import type { FerryDatabase } from './schema.js';
import { SqlStore } from './sql-store.js';

export interface PostgresStoreOptions {
  /** e.g. `postgres://user@127.0.0.1:5432/ferry`. The password, if any, is never logged. */
  connectionString: string;
  /** A schema to keep Ferry's tables in (created when missing). Default: the connection's search_path. */
  schema?: string;
  /** Pool size. Default 10. */
  maxConnections?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** PostgreSQL: for production and for several hub processes sharing deployments through leases. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<SqlStore> {
  if (options.schema !== undefined && !IDENTIFIER.test(options.schema)) {
    throw new FerryUnavailableError(`invalid PostgreSQL schema name "${options.schema}" (lower-case letters, digits, _)`);
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  try {
    if (options.schema) await pool.query(`create schema if not exists ${options.schema}`);
  } catch (error) {
    await pool.end();
    throw new FerryUnavailableError(`cannot reach PostgreSQL at ${redact(options.connectionString)}: ${(error as Error).message}`, { cause: error });
  }
  const store = new SqlStore(new Kysely<FerryDatabase>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
  await store.migrate();
  return store;
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
