import { type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { HubDialectName } from './schema.js';

/**
 * One migration set for SQLite and PostgreSQL: portable types only (text, integer, bigint
 * for epoch ms on PG), JSON as text. Run by kysely's Migrator under its own migration
 * tables so it coexists with @ferry/store-sql's in the same database.
 */
function migrations(dialect: HubDialectName): Record<string, Migration> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    '0001_hub': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('ferry_hub_tenants')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('ferry_hub_users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('roles', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('invitation_hash', 'text', (c) => c.unique())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('ferry_hub_users_tenant').on('ferry_hub_users').column('tenant').execute();

        await db.schema
          .createTable('ferry_hub_data_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant', 'text', (c) => c.notNull().unique())
          .addColumn('wrapped_key', 'text', (c) => c.notNull())
          .addColumn('iv', 'text', (c) => c.notNull())
          .addColumn('tag', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('ferry_hub_credentials')
          .addColumn('client_id', 'text', (c) => c.primaryKey())
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('roles', 'text', (c) => c.notNull())
          .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
          .addColumn('secret_iv', 'text', (c) => c.notNull())
          .addColumn('secret_tag', 'text', (c) => c.notNull())
          .addColumn('secret_data_key_id', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addUniqueConstraint('ferry_hub_credentials_tenant_name', ['tenant', 'name'])
          .execute();

        await db.schema
          .createTable('ferry_hub_roles')
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('grants', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('ferry_hub_roles_pk', ['tenant', 'name'])
          .execute();

        await db.schema
          .createTable('ferry_hub_secrets')
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('ciphertext', 'text', (c) => c.notNull())
          .addColumn('iv', 'text', (c) => c.notNull())
          .addColumn('tag', 'text', (c) => c.notNull())
          .addColumn('data_key_id', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addColumn('updated_at', bigint, (c) => c.notNull())
          .addPrimaryKeyConstraint('ferry_hub_secrets_pk', ['tenant', 'name'])
          .execute();

        await db.schema
          .createTable('ferry_hub_integrations')
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addPrimaryKeyConstraint('ferry_hub_integrations_pk', ['tenant', 'type', 'name'])
          .execute();

        await db.schema
          .createTable('ferry_hub_targets')
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('ref', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addPrimaryKeyConstraint('ferry_hub_targets_pk', ['tenant', 'name'])
          .execute();

        await db.schema
          .createTable('ferry_hub_agents')
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('identifier', 'text', (c) => c.notNull())
          .addColumn('instance_id', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('hub_replica', 'text', (c) => c.notNull())
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('connected_at', bigint, (c) => c.notNull())
          .addColumn('last_heartbeat_at', bigint, (c) => c.notNull())
          .addColumn('cluster_role', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('ferry_hub_agents_pk', ['tenant', 'identifier', 'instance_id'])
          .execute();

        await db.schema
          .createTable('ferry_hub_oidc')
          .addColumn('model', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('expires_at', bigint)
          .addColumn('grant_id', 'text')
          .addColumn('user_code', 'text')
          .addColumn('uid', 'text')
          .addColumn('consumed_at', bigint)
          .addPrimaryKeyConstraint('ferry_hub_oidc_pk', ['model', 'id'])
          .execute();
        await db.schema.createIndex('ferry_hub_oidc_grant_id').on('ferry_hub_oidc').column('grant_id').execute();
        await db.schema.createIndex('ferry_hub_oidc_user_code').on('ferry_hub_oidc').columns(['model', 'user_code']).execute();
        await db.schema.createIndex('ferry_hub_oidc_uid').on('ferry_hub_oidc').columns(['model', 'uid']).execute();
        await db.schema.createIndex('ferry_hub_oidc_expires_at').on('ferry_hub_oidc').column('expires_at').execute();
      },
    },
    '0002_previews': {
      // Preview links of exposeServices steps: only the token's SHA-256 is stored.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('ferry_hub_previews')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('deployment_id', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('upstream', 'text', (c) => c.notNull())
          .addColumn('agent', 'text', (c) => c.notNull())
          .addColumn('expires_at', bigint, (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('ferry_hub_previews_deployment').on('ferry_hub_previews').columns(['tenant', 'deployment_id']).execute();
        await db.schema.createIndex('ferry_hub_previews_expires_at').on('ferry_hub_previews').column('expires_at').execute();
      },
    },
    '0003_credential_token_ttl': {
      // A credential's own access-token lifetime (a webhook caller that cannot refresh, say); null: the hub's default.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('ferry_hub_credentials').addColumn('token_ttl_seconds', 'integer').execute();
      },
    },
  };
}

export function hubMigrationProvider(dialect: HubDialectName): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}

/** Kept apart from @ferry/store-sql's `kysely_migration` tables. */
export const HUB_MIGRATION_TABLE = 'ferry_hub_migration';
export const HUB_MIGRATION_LOCK_TABLE = 'ferry_hub_migration_lock';
