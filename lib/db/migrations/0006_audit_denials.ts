import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

export function migration(engine: Engine): Migration {
  const time = timeColumn(engine);
  return {
    async up(db: Kysely<unknown>) {
      // Refused requests (unauthenticated, forbidden, throttled) fold into one audit row per source, action and
      // minute; this table counts them. The audit view joins it, so the count shown is exact at every moment
      // and the append-only row never needs rewriting. The count can only go up, and no row can be removed.
      await db.schema
        .createTable('audit_denials')
        .addColumn('audit_id', 'text', (c) => c.primaryKey())
        .addColumn('minute', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('staff_id', 'text', (c) => c.notNull())
        .addColumn('hits', 'bigint', (c) => c.notNull().check(sql`hits >= 1`))
        .addColumn('last_at', time, (c) => c.notNull())
        .addUniqueConstraint('audit_denials_source_minute', ['minute', 'action', 'code', 'ip', 'staff_id'])
        .execute();
      // Within one folded row, how many refusals each entry point (a fixed name from the code) gave.
      await db.schema
        .createTable('audit_denial_parts')
        .addColumn('audit_id', 'text', (c) => c.notNull())
        .addColumn('part', 'text', (c) => c.notNull())
        .addColumn('hits', 'bigint', (c) => c.notNull().check(sql`hits >= 1`))
        .addPrimaryKeyConstraint('audit_denial_parts_pk', ['audit_id', 'part'])
        .execute();
      const frozen = sql`new.hits < old.hits or new.audit_id <> old.audit_id or new.minute <> old.minute
          or new.action <> old.action or new.code <> old.code or new.ip <> old.ip or new.staff_id <> old.staff_id`;
      const partFrozen = sql`new.hits < old.hits or new.audit_id <> old.audit_id or new.part <> old.part`;
      if (engine === 'postgres') {
        await sql`
            create function audit_denials_count_up() returns trigger language plpgsql as $$
            begin
              if tg_op = 'UPDATE' and not (${frozen}) then return new; end if;
              raise exception 'audit_denials only counts up: % refused', tg_op using errcode = 'insufficient_privilege';
            end $$`.execute(db);
        await sql`create trigger audit_denials_guard before update or delete on audit_denials
                    for each row execute function audit_denials_count_up()`.execute(db);
        await sql`create trigger audit_denials_no_truncate before truncate on audit_denials
                    for each statement execute function audit_log_append_only()`.execute(db);
        await sql`
            create function audit_denial_parts_count_up() returns trigger language plpgsql as $$
            begin
              if tg_op = 'UPDATE' and not (${partFrozen}) then return new; end if;
              raise exception 'audit_denial_parts only counts up: % refused', tg_op using errcode = 'insufficient_privilege';
            end $$`.execute(db);
        await sql`create trigger audit_denial_parts_guard before update or delete on audit_denial_parts
                    for each row execute function audit_denial_parts_count_up()`.execute(db);
        await sql`create trigger audit_denial_parts_no_truncate before truncate on audit_denial_parts
                    for each statement execute function audit_log_append_only()`.execute(db);
      } else {
        await sql`create trigger audit_denials_no_delete before delete on audit_denials
                    begin select raise(abort, 'audit_denials only counts up: DELETE refused'); end`.execute(
          db,
        );
        await sql`create trigger audit_denials_count_up before update on audit_denials when ${frozen}
                    begin select raise(abort, 'audit_denials only counts up: UPDATE refused'); end`.execute(
          db,
        );
        await sql`create trigger audit_denial_parts_no_delete before delete on audit_denial_parts
                    begin select raise(abort, 'audit_denial_parts only counts up: DELETE refused'); end`.execute(
          db,
        );
        await sql`create trigger audit_denial_parts_count_up before update on audit_denial_parts when ${partFrozen}
                    begin select raise(abort, 'audit_denial_parts only counts up: UPDATE refused'); end`.execute(
          db,
        );
      }
    },
  };
}
