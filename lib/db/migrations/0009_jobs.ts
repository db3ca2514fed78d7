import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

export function migration(engine: Engine): Migration {
  const time = timeColumn(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('revocation_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // A double click (or a retried request) sends the same key: one job, never two.
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) =>
          c.notNull().check(sql`kind in ('sessions', 'users', 'client', 'user_except')`),
        )
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('queued', 'running', 'paused', 'cancelled', 'done', 'failed')`),
        )
        .addColumn('scope', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_by_staff_id', 'text', (c) => c.notNull())
        .addColumn('created_by_email', 'text', (c) => c.notNull())
        .addColumn('created_by_role', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('started_at', time)
        .addColumn('finished_at', time)
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('error', 'text')
        .execute();
      await db.schema
        .createIndex('revocation_jobs_state')
        .on('revocation_jobs')
        .columns(['state', 'created_at'])
        .execute();
    },
  };
}
