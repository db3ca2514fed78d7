import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

// Issue 23: a job above the deployer's thresholds waits here for a second administrator (or ran alone, break-glass).
export function migration(engine: Engine): Migration {
  const time = timeColumn(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('approval_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_key', 'text', (c) => c.notNull().unique())
        .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('request', 'break_glass')`))
        .addColumn('state', 'text', (c) =>
          c
            .notNull()
            .check(sql`state in ('waiting', 'approved', 'declined', 'expired', 'cancelled', 'executed')`),
        )
        .addColumn('requester_staff_id', 'text', (c) => c.notNull())
        .addColumn('requester_email', 'text', (c) => c.notNull())
        .addColumn('requester_role', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('reason_code', 'text')
        .addColumn('ticket', 'text')
        .addColumn('emergency_reason', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('decided_by_staff_id', 'text')
        .addColumn('decided_by_email', 'text')
        .addColumn('decided_at', time)
        .addColumn('decision_reason', 'text')
        .addColumn('job_id', 'text')
        .execute();
      await db.schema
        .createIndex('approval_requests_state')
        .on('approval_requests')
        .columns(['state', 'created_at'])
        .execute();
      await db.schema
        .createIndex('approval_requests_requester')
        .on('approval_requests')
        .columns(['requester_staff_id', 'created_at'])
        .execute();
      await db.schema.createIndex('approval_requests_job').on('approval_requests').column('job_id').execute();
    },
  };
}
