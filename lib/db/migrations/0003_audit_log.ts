import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

export function migration(engine: Engine): Migration {
  const time = timeColumn(engine);
  return {
    async up(db: Kysely<unknown>) {
      let table = db.schema.createTable('audit_log');
      table =
        engine === 'postgres'
          ? table.addColumn('seq', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
          : table.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement());
      await table
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('intent', 'outcome', 'event')`))
        .addColumn('intent_id', 'text', (c) => c.unique().references('audit_log.id'))
        .addColumn('at', time, (c) => c.notNull())
        .addColumn('instance_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) =>
          c.notNull().check(sql`outcome in ('pending', 'succeeded', 'failed', 'denied', 'unknown')`),
        )
        .addColumn('actor_staff_id', 'text')
        .addColumn('actor_email', 'text', (c) => c.notNull())
        .addColumn('actor_role', 'text')
        .addColumn('session_id', 'text')
        .addColumn('user_id', 'text')
        .addColumn('client_id', 'text')
        .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('code', 'text')
        .addColumn('trace_id', 'text')
        .addColumn('reconciled', 'integer', (c) => c.notNull().defaultTo(0))
        // An outcome row must point at an intent; intents and one-shot events must not point anywhere.
        .addCheckConstraint('audit_log_intent_link', sql`(kind = 'outcome') = (intent_id is not null)`)
        .execute();
      for (const column of ['at', 'actor_email', 'session_id', 'user_id', 'client_id', 'action'] as const) {
        await db.schema.createIndex(`audit_log_${column}`).on('audit_log').column(column).execute();
      }

      // Append-only, enforced by the database itself so that no code path (nor a console bug) can rewrite
      // history. The owner of the table can still drop a trigger: production should connect as a role that
      // does not own it (see README).
      if (engine === 'postgres') {
        await sql`
            create function audit_log_append_only() returns trigger language plpgsql as $$
            begin
              raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
            end $$`.execute(db);
        await sql`create trigger audit_log_no_update_delete before update or delete on audit_log
                    for each row execute function audit_log_append_only()`.execute(db);
        await sql`create trigger audit_log_no_truncate before truncate on audit_log
                    for each statement execute function audit_log_append_only()`.execute(db);
      } else {
        await sql`create trigger audit_log_no_update before update on audit_log
                    begin select raise(abort, 'audit_log is append-only: UPDATE refused'); end`.execute(db);
        await sql`create trigger audit_log_no_delete before delete on audit_log
                    begin select raise(abort, 'audit_log is append-only: DELETE refused'); end`.execute(db);
        // INSERT OR REPLACE deletes the clashing row WITHOUT firing delete triggers (unless recursive_triggers is
        // on): refuse any insert that would clash instead of relying on the connection's pragmas.
        await sql`create trigger audit_log_no_replace before insert on audit_log
                    when exists (select 1 from audit_log where id = new.id or seq = new.seq
                                 or (new.intent_id is not null and intent_id = new.intent_id))
                    begin select raise(abort, 'audit_log is append-only: REPLACE refused'); end`.execute(db);
      }
    },
  };
}
