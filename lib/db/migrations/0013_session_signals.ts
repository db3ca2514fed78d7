import 'server-only';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Signals computed as sessions reach the index, one row per session and kind; a user's rows are replaced
      // together each time one of their sessions arrives, so the watchlist and search read them without a scan.
      await db.schema
        .createTable('session_signals')
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('computed_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('session_signals_pk', ['session_id', 'kind'])
        .execute();
      await db.schema.createIndex('session_signals_user').on('session_signals').column('user_id').execute();
      await db.schema
        .createIndex('session_signals_severity')
        .on('session_signals')
        .columns(['severity', 'computed_at'])
        .execute();
    },
  };
}
