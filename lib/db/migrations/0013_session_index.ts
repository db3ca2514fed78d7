import 'server-only';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // One row per Clerk session, fed by Clerk's webhooks and a background fill; times are epoch milliseconds
      // so both engines compare them as numbers. ip_key is the 16-byte IPv6 form in hex: a CIDR is a text range.
      await db.schema
        .createTable('session_index')
        .addColumn('session_id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('last_active_at', 'bigint')
        .addColumn('ended_at', 'bigint')
        .addColumn('expire_at', 'bigint')
        .addColumn('ip', 'text')
        .addColumn('ip_key', 'text')
        .addColumn('city', 'text')
        .addColumn('country', 'text')
        .addColumn('device_type', 'text')
        .addColumn('browser_name', 'text')
        .addColumn('browser_version', 'text')
        .addColumn('is_mobile', 'integer')
        .addColumn('actor', 'text')
        .addColumn('user_name', 'text')
        .addColumn('user_email', 'text')
        .addColumn('user_deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('indexed_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('session_index_last_active')
        .on('session_index')
        .columns(['last_active_at desc', 'session_id'])
        .execute();
      await db.schema
        .createIndex('session_index_user')
        .on('session_index')
        .columns(['user_id', 'created_at'])
        .execute();
      await db.schema.createIndex('session_index_ip').on('session_index').column('ip_key').execute();
      await db.schema
        .createIndex('session_index_country')
        .on('session_index')
        .columns(['country', 'last_active_at'])
        .execute();
      await db.schema
        .createIndex('session_index_status')
        .on('session_index')
        .columns(['status', 'last_active_at'])
        .execute();
      // A user's snapshot (name, email, deleted) arrives apart from their sessions; new sessions copy it.
      await db.schema
        .createTable('session_index_users')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('user_name', 'text')
        .addColumn('user_email', 'text')
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // Each Svix delivery applied once. signed_at tells a sender's retry (re-signed later) from a replayed copy.
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('svix_id', 'text', (c) => c.primaryKey())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('signed_at', 'bigint', (c) => c.notNull())
        .addColumn('applied', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_received')
        .on('webhook_deliveries')
        .column('received_at')
        .execute();
      await db.schema
        .createTable('session_index_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
