import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export type Engine = 'sqlite' | 'postgres';

/**
 * The schema, as an ordered list of migrations. Never edit one that has shipped: add the next one. Both engines
 * get the same tables; only column types, identity columns and the trigger language differ.
 */
export function buildMigrations(engine: Engine): Record<string, Migration> {
  const time = engine === 'postgres' ? 'timestamptz' : 'text';
  return {
    '0001_staff': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('staff')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('viewer', 'support', 'admin')`))
          .addColumn('password_hash', 'text')
          .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('password', 'oidc')`))
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('session_version', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('updated_at', time, (c) => c.notNull())
          .addColumn('last_sign_in_at', time)
          .execute();
      },
    },
    '0002_sign_in_attempts': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('sign_in_attempts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('ip', 'text', (c) => c.notNull())
          .addColumn('at', time, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('sign_in_attempts_email_at')
          .on('sign_in_attempts')
          .columns(['email', 'at'])
          .execute();
        await db.schema
          .createIndex('sign_in_attempts_ip_at')
          .on('sign_in_attempts')
          .columns(['ip', 'at'])
          .execute();
      },
    },
    '0003_audit_log': {
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
    },
    '0004_console_instances': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('console_instances')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('started_at', time, (c) => c.notNull())
          .execute();
      },
    },
    // The shape rate-limiter-flexible's SQLite and PostgreSQL stores expect (created here, not by the library, so
    // that instances starting together never race on DDL). `expire` is epoch milliseconds.
    '0005_auth_rate_limits': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('auth_rate_limits')
          .addColumn('key', engine === 'postgres' ? 'varchar(255)' : 'text', (c) => c.primaryKey())
          .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('expire', 'bigint')
          .execute();
      },
    },
    // An SSO staff member is the identity provider's (issuer, subject), never an email alone.
    '0005_auth_staff_oidc_subject': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('staff').addColumn('oidc_issuer', 'text').execute();
        await db.schema.alterTable('staff').addColumn('oidc_subject', 'text').execute();
        await db.schema
          .createIndex('staff_oidc_identity')
          .on('staff')
          .columns(['oidc_issuer', 'oidc_subject'])
          .unique()
          .execute();
      },
    },
    '0008_budget': {
      async up(db: Kysely<unknown>) {
        // The Clerk request budget every console instance shares (lib/clerk/budget.ts): one row per counter and
        // one-second bucket. `n` is a request count, or for the 429 pause row the epoch second it lasts until.
        await db.schema
          .createTable('clerk_budget')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('bucket', 'bigint', (c) => c.notNull())
          .addColumn('n', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('clerk_budget_pk', ['key', 'bucket'])
          .execute();
      },
    },
    '0006_audit_denials': {
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
    },
    '0007_idem_keys': {
      async up(db: Kysely<unknown>) {
        // One row per write request key (lib/actions/idempotency.ts): the primary key is the claim, so two
        // instances racing on one key cannot both run the action.
        await db.schema
          .createTable('idempotency_keys')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('staff_id', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('fingerprint', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('running', 'done')`))
          .addColumn('result', 'text')
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('completed_at', time)
          .execute();
        await db.schema
          .createIndex('idempotency_keys_created_at')
          .on('idempotency_keys')
          .column('created_at');
      },
    },
    '0009_jobs': {
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
    },
    '0009_jobs_items': {
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
    },
    '0010_risk_reviews': {
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
    },
    '0010_risk_watchlist': {
      async up(db: Kysely<unknown>) {
        // One row per console deployment: the latest scan, shared by every instance; the lease lets one
        // instance scan at a time.
        await db.schema
          .createTable('risk_watchlist')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('refreshed_at', time)
          .addColumn('lease_owner', 'text')
          .addColumn('lease_until', time)
          .execute();
      },
    },
    // Issue 19: the permission a job needs and who it runs as (paused when that member loses access), a fair
    // queue (last_claimed_at), expansion that resumes from a saved page (cursor) and holds the sessions it found
    // until the user is read in full (hold_for), and the two indexes whose builders lacked .execute().
    '0011_jobs_trust': {
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
    },
  };
}
