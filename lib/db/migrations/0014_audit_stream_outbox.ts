import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

// Issue 23: a cursor per audit-stream receiver over audit_log.seq (with the lease that lets one instance deliver
// at a time), the queue of mails to end users, and the mail the local SMTP catcher received.
export function migration(engine: Engine): Migration {
  const time = timeColumn(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_stream_cursors')
        .addColumn('receiver', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('webhook', 'ssf')`))
        .addColumn('cursor', 'bigint', (c) => c.notNull())
        // Bumped by a rewind, so a delivery in flight cannot move the cursor the admin just set.
        .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', time)
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', time)
        .addColumn('last_success_at', time)
        .addColumn('last_error', 'text')
        .addColumn('last_error_at', time)
        .addColumn('delivered', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('user_notices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text')
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reason_code', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body_text', 'text', (c) => c.notNull())
        .addColumn('body_html', 'text', (c) => c.notNull())
        .addColumn('actor_staff_id', 'text')
        .addColumn('actor_email', 'text', (c) => c.notNull())
        .addColumn('actor_role', 'text')
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('queued', 'sending', 'sent', 'failed')`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', time, (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', time)
        .addColumn('sent_at', time)
        .addColumn('last_error', 'text')
        .addColumn('message_id', 'text')
        .execute();
      await db.schema
        .createIndex('user_notices_due')
        .on('user_notices')
        .columns(['state', 'next_attempt_at'])
        .execute();
      await db.schema.createIndex('user_notices_created').on('user_notices').column('created_at').execute();

      await db.schema
        .createTable('caught_mail')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('received_at', time, (c) => c.notNull())
        .addColumn('notice_id', 'text')
        .addColumn('mail_from', 'text', (c) => c.notNull())
        .addColumn('rcpt_to', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body_text', 'text', (c) => c.notNull())
        .addColumn('body_html', 'text')
        .addColumn('message_id', 'text')
        .execute();
      await db.schema.createIndex('caught_mail_notice').on('caught_mail').column('notice_id').execute();
    },
  };
}
