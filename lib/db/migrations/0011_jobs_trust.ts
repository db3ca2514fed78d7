import 'server-only';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

// Issue 19: the permission a job needs and who it runs as (paused when that member loses access), a fair
// queue (last_claimed_at), expansion that resumes from a saved page (cursor) and holds the sessions it found
// until the user is read in full (hold_for), and the two indexes whose builders lacked .execute().
export function migration(engine: Engine): Migration {
  const time = timeColumn(engine);
  return {
    async up(db: Kysely<unknown>) {
      const jobs = () => db.schema.alterTable('revocation_jobs');
      await jobs()
        .addColumn('permission', 'text', (c) => c.notNull().defaultTo('sessions:revoke'))
        .execute();
      await jobs().addColumn('created_by_session_version', 'integer').execute();
      await jobs().addColumn('paused_reason', 'text').execute();
      await jobs().addColumn('run_as_staff_id', 'text').execute();
      await jobs().addColumn('run_as_email', 'text').execute();
      await jobs().addColumn('run_as_role', 'text').execute();
      await jobs().addColumn('run_as_session_version', 'integer').execute();
      await jobs().addColumn('last_claimed_at', time).execute();
      const items = () => db.schema.alterTable('revocation_job_items');
      await items().addColumn('cursor', 'text').execute();
      await items().addColumn('hold_for', 'bigint').execute();
      await db.schema
        .createIndex('revocation_job_items_job_outcome')
        .ifNotExists()
        .on('revocation_job_items')
        .columns(['job_id', 'kind', 'outcome'])
        .execute();
      await db.schema
        .createIndex('revocation_job_items_job_user')
        .on('revocation_job_items')
        .columns(['job_id', 'user_id'])
        .execute();
      await db.schema
        .createIndex('revocation_jobs_created_by')
        .on('revocation_jobs')
        .columns(['created_by_staff_id', 'state'])
        .execute();
      await db.schema
        .createIndex('idempotency_keys_created_at')
        .ifNotExists()
        .on('idempotency_keys')
        .column('created_at')
        .execute();
    },
  };
}
