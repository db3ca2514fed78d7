import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '@/lib/db';
import { auditLog } from '@/lib/audit';
import { startTestPostgres, type TestPostgres } from '@/lib/testing/pg';

// DATABASE_MIGRATION_URL: the schema is created by an owner role, the console runs as a role that owns nothing.
// Set up the way the README says, then attacked from the runtime role the way a compromised console would.

let server: TestPostgres | null = null;
let ownerUrl = '';
let appUrl = '';

function asRole(base: string, role: string): string {
  const u = new URL(base);
  u.username = role;
  u.searchParams.set('options', '-c search_path=console');
  return u.toString();
}

async function query(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  server = await startTestPostgres();
  if (!server) return;
  const admin = server.url;
  await query(admin, `create role console_owner login`);
  await query(admin, `create role console_app login`);
  await query(admin, `create schema console authorization console_owner`);
  await query(admin, `grant usage on schema console to console_app`);
  ownerUrl = asRole(admin, 'console_owner');
  appUrl = asRole(admin, 'console_app');
  await query(
    ownerUrl,
    `alter default privileges in schema console grant select, insert, update, delete on tables to console_app`,
  );
  await query(ownerUrl, `alter default privileges in schema console grant usage on sequences to console_app`);
});
afterAll(async () => {
  await server?.stop();
});

describe('migrations under a separate PostgreSQL role', () => {
  it('the runtime role cannot migrate by itself (it may not create tables)', async (ctx) => {
    if (!server) ctx.skip();
    await expect(createDb({ databaseUrl: appUrl })).rejects.toThrow();
  });

  it('migrates as the owner, runs as the app role, and the app role cannot undo append-only', async (ctx) => {
    if (!server) ctx.skip();
    const db = await createDb({ databaseUrl: appUrl, migrationUrl: ownerUrl });
    try {
      const log = auditLog(db);
      await log.record({
        actor: { staffId: null, email: 'admin@example.com', role: 'admin' },
        action: 'audit.export',
        target: {},
        details: {},
        ctx: { ip: null, userAgent: null },
        outcome: 'succeeded',
      });
      const { rows } = await log.list({ limit: 10, offset: 0 });
      expect(rows).toHaveLength(1);
    } finally {
      await db.destroy();
    }
    const { rows } = await query(ownerUrl, `select tableowner from pg_tables where tablename = 'audit_log'`);
    expect(rows[0]).toEqual({ tableowner: 'console_owner' });

    const attacks = [
      `drop trigger audit_log_no_update_delete on audit_log`,
      `drop trigger audit_log_no_truncate on audit_log`,
      `alter table audit_log disable trigger all`,
      `alter table audit_log disable trigger audit_log_no_update_delete`,
      `drop function audit_log_append_only() cascade`,
      `create or replace function audit_log_append_only() returns trigger language plpgsql as $$ begin return new; end $$`,
      `drop table audit_log`,
      `truncate audit_log`,
      `set session_replication_role = replica`,
    ];
    for (const sql of attacks) {
      const err = await query(appUrl, sql).then(
        () => null,
        (e: unknown) => e as { code?: string },
      );
      expect(err, sql).not.toBeNull();
      expect(err!.code, sql).toBe('42501'); // insufficient_privilege
    }
    // And the triggers still refuse what they always did.
    const update = await query(appUrl, `update audit_log set outcome = 'failed'`).catch((e: unknown) => e);
    expect(String(update)).toMatch(/append-only/);
    const del = await query(appUrl, `delete from audit_log`).catch((e: unknown) => e);
    expect(String(del)).toMatch(/append-only/);
    expect((await query(appUrl, `select count(*)::int as n from audit_log`)).rows[0]).toEqual({ n: 1 });
  });
});
