import { type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { SqlDialectName } from './schema.js';

/**
 * One migration set for both databases. Types are the portable subset (text, integer,
 * bigint); JSON is stored as text so both backends read it the same way.
 */
function migrations(dialect: SqlDialectName): Record<string, Migration> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    '0001_deployments': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('ferry_deployments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('application', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addColumn('created_ordinal', bigint, (c) => c.notNull())
          .addColumn('wake_at', bigint)
          .addColumn('lease_owner', 'text')
          .addColumn('lease_expires_at', bigint)
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('spec', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('ferry_deployments_application').on('ferry_deployments').columns(['application', 'status']).execute();
        await db.schema.createIndex('ferry_deployments_status').on('ferry_deployments').columns(['status', 'created_at']).execute();
        await db.schema.createIndex('ferry_deployments_wake_at').on('ferry_deployments').column('wake_at').execute();

        await db.schema
          .createTable('ferry_deployment_events')
          .addColumn('deployment_id', 'text', (c) => c.notNull().references('ferry_deployments.id').onDelete('cascade'))
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('at', bigint, (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('step_id', 'text')
          .addColumn('data', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('ferry_deployment_events_pk', ['deployment_id', 'seq'])
          .execute();

        await db.schema.createTable('ferry_application_locks').addColumn('application', 'text', (c) => c.primaryKey()).execute();
      },
    },
    // The one-deployment-per-application rule holds per tenant; locks are keyed `tenant/application`.
    '0002_tenants': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('ferry_deployments').addColumn('tenant', 'text', (c) => c.notNull().defaultTo('default')).execute();
        await db.schema.createIndex('ferry_deployments_tenant').on('ferry_deployments').columns(['tenant', 'application', 'status']).execute();
      },
    },
  };
}

export function migrationProvider(dialect: SqlDialectName): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
