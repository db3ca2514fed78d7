import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

export function migration(engine: Engine): Migration {
  const time = timeColumn(engine);
  return {
    async up(db: Kysely<unknown>) {
      let table = db.schema.createTable('revocation_job_items');
      table =
        engine === 'postgres'
          ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
          : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await table
        .addColumn('job_id', 'text', (c) => c.notNull().references('revocation_jobs.id'))
        // 'session' items are revoked; 'user' and 'client' items expand into the active sessions they hold.
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('session', 'user', 'client')`))
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'claimed', 'done')`))
        .addColumn('outcome', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', time)
        // Set just before the revoke call goes out: an expired lease with an attempt is settled by reading back.
        .addColumn('attempt_at', time)
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('intent_id', 'text')
        .addColumn('trace_id', 'text')
        .addColumn('code', 'text')
        .addColumn('finished_at', time)
        .addUniqueConstraint('revocation_job_items_target', ['job_id', 'kind', 'target'])
        .execute();
      await db.schema
        .createIndex('revocation_job_items_claim')
        .on('revocation_job_items')
        .columns(['state', 'job_id', 'id'])
        .execute();
      await db.schema
        .createIndex('revocation_job_items_job_outcome')
        .on('revocation_job_items')
        .columns(['job_id', 'kind', 'outcome']);
    },
  };
}
