import type Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';

/**
 * Kysely's SQLite dialect over better-sqlite3, reusing prepared statements by SQL text.
 * Kysely prepares a statement for every query, and preparing costs more than running the
 * small indexed reads the hub does on each request. Queries run synchronously and nothing
 * here iterates a statement, so one statement per SQL text is safe to share.
 */
export function cachedSqliteDialect(database: Database.Database, maxStatements = 500): SqliteDialect {
  const statements = new Map<string, Database.Statement>();
  return new SqliteDialect({
    database: {
      close: () => database.close(),
      prepare(sql: string) {
        let statement = statements.get(sql);
        if (statement) {
          // Most recently used last, so the first key is the one to drop.
          statements.delete(sql);
        } else {
          statement = database.prepare(sql);
          if (statements.size >= maxStatements) statements.delete(statements.keys().next().value!);
        }
        statements.set(sql, statement);
        return statement;
      },
    },
  });
}
