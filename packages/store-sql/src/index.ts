export { SqlStore } from './sql-store.js';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { cachedSqliteDialect } from './sqlite-dialect.js';
export { createPostgresStore, type PostgresStoreOptions } from './postgres.js';
export type { SqlDialectName } from './schema.js';
