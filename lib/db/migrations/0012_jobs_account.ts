import 'server-only';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Engine } from '@/lib/db/migrations/engine';

// Issue 21: jobs that act on accounts. A job's `action` (null: revoke sessions, as before) and, per item, the
// `step` done to the user (an item of kind 'user' with a step is acted on, never expanded), with Clerk's plain
// message and what the step counted (`detail`, JSON). New columns only: the kind CHECKs stay as they are.
export function migration(_engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('revocation_jobs').addColumn('action', 'text').execute();
      const items = () => db.schema.alterTable('revocation_job_items');
      await items().addColumn('step', 'text').execute();
      await items().addColumn('message', 'text').execute();
      await items().addColumn('detail', 'text').execute();
    },
  };
}
