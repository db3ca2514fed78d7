import 'server-only';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

export function migration(engine: Engine): Migration {
  const time = timeColumn(engine);
  return {
    async up(db: Kysely<unknown>) {
      // One review per occurrence of a signal: a new occurrence (new fingerprint) shows again.
      await db.schema
        .createTable('risk_reviews')
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('reviewed_by_staff_id', 'text', (c) => c.notNull())
        .addColumn('reviewed_by_email', 'text', (c) => c.notNull())
        .addColumn('reviewed_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('risk_reviews_pk', ['session_id', 'kind', 'fingerprint'])
        .execute();
      await db.schema.createIndex('risk_reviews_user_id').on('risk_reviews').column('user_id').execute();
    },
  };
}
