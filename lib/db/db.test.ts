import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb } from '@/lib/db';
import { freshPostgresSchema, tempSqlite, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';
import { bundledScript } from '@/lib/testing/script-bundle';

const root = path.resolve(import.meta.dirname, '../..');
const MIGRATIONS = [
  '0001_staff',
  '0002_sign_in_attempts',
  '0003_audit_log',
  '0004_console_instances',
  '0005_auth_rate_limits',
  '0005_auth_staff_oidc_subject',
  '0006_audit_denials',
  '0007_idem_keys',
  '0008_budget',
  '0009_jobs',
  '0009_jobs_items',
  '0010_risk_reviews',
  '0010_risk_watchlist',
  '0011_jobs_trust',
  '0012_jobs_account',
  '0013_session_index',
  '0013_session_signals',
  '0014_audit_stream_outbox',
  '0015_approvals',
  '0016_audit_reason_code',
  '0017_session_index_baseline',
  '0018_leases',
];

/** Every index a migration names: each must exist (a builder without .execute() creates nothing). */
const INDEXES = [
  'approval_requests_job',
  'approval_requests_requester',
  'approval_requests_state',
  'audit_log_action',
  'audit_log_actor_email',
  'audit_log_at',
  'audit_log_client_id',
  'audit_log_reason_code',
  'audit_log_session_id',
  'audit_log_ticket',
  'audit_log_user_id',
  'caught_mail_notice',
  'idempotency_keys_created_at',
  'revocation_job_items_claim',
  'revocation_job_items_job_outcome',
  'revocation_job_items_job_user',
  'revocation_jobs_created_by',
  'revocation_jobs_state',
  'risk_reviews_user_id',
  'session_index_country',
  'session_index_ip',
  'session_index_last_active',
  'session_index_status',
  'session_index_user',
  'session_index_user_active',
  'session_index_user_status',
  'session_signals_severity',
  'session_signals_user',
  'sign_in_attempts_email_at',
  'sign_in_attempts_ip_at',
  'staff_oidc_identity',
  'user_notices_created',
  'user_notices_due',
  'webhook_deliveries_received',
];

const pg = postgresForThisFile();

let fixture: string;
beforeAll(async () => {
  fixture = await bundledScript('lib/db/concurrent-migrate.fixture.ts');
});

/** A separate Node process that opens (and so migrates) the database, like a console instance starting. */
function startInstance(target: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=react-server', fixture, target], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'test' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe.each(TEST_ENGINES)('database on %s', (engine) => {
  async function target() {
    if (engine === 'sqlite') return { sqlitePath: tempSqlite().path };
    if (!pg.server) throw new Error('no PostgreSQL');
    return { databaseUrl: await freshPostgresSchema(pg.server.url) };
  }

  it('creates the schema, and opening it again changes nothing', async () => {
    const t = await target();
    const first = await createDb(t);
    const tables = (await first.introspection.getTables()).map((x) => x.name);
    expect(tables).toEqual(
      expect.arrayContaining(['audit_log', 'console_instances', 'sign_in_attempts', 'staff']),
    );
    await first
      .insertInto('console_instances')
      .values({ id: 'kept', started_at: new Date().toISOString() })
      .execute();
    await first.destroy();

    const second = await createDb(t);
    const applied = await sql<{ name: string }>`select name from console_migration order by name`.execute(
      second,
    );
    expect(applied.rows.map((r) => r.name)).toEqual(MIGRATIONS);
    expect(await second.selectFrom('console_instances').select('id').execute()).toEqual([{ id: 'kept' }]);
    await second.destroy();
  });

  it('creates every index the migrations name', async () => {
    const db = await createDb(await target());
    try {
      const names =
        engine === 'sqlite'
          ? await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(db)
          : await sql<{
              name: string;
            }>`select indexname as name from pg_indexes where schemaname = current_schema()`.execute(db);
      expect(names.rows.map((r) => r.name)).toEqual(expect.arrayContaining(INDEXES));
      const dir = path.join(root, 'lib/db/migrations');
      const src = fs
        .readdirSync(dir)
        .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
        .join('\n');
      const named = [...src.matchAll(/createIndex\('([a-z_]+)'\)/g)].map((m) => m[1]);
      expect(INDEXES).toEqual(expect.arrayContaining(named));
    } finally {
      await db.destroy();
    }
  });

  it('lets two instances start at once on a fresh database (separate processes)', async () => {
    const t = await target();
    const where = t.databaseUrl ?? t.sqlitePath!;
    const results = await Promise.all([startInstance(where), startInstance(where)]);
    for (const r of results) expect(r, r.out).toMatchObject({ code: 0 });
    const db = await createDb(t);
    const applied = await sql<{ name: string }>`select name from console_migration order by name`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(MIGRATIONS);
    await db.destroy();
  }, 30_000);

  it('refuses to open a database it cannot reach, without leaving anything open', async () => {
    const { dir } = tempSqlite();
    fs.writeFileSync(path.join(dir, 'a-file'), '');
    const bad =
      engine === 'sqlite'
        ? { sqlitePath: path.join(dir, 'a-file', 'console.sqlite') }
        : { databaseUrl: 'postgres://postgres@127.0.0.1:1/none' };
    await expect(createDb(bad)).rejects.toThrow();
  });
});

describe('postgres migrations in one process', () => {
  it('serialise when several pools migrate the same database at once', async () => {
    if (!pg.server) throw new Error('no PostgreSQL');
    const databaseUrl = await freshPostgresSchema(pg.server.url);
    const opened = await Promise.allSettled(Array.from({ length: 4 }, () => createDb({ databaseUrl })));
    const dbs = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(opened.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      const applied = await sql<{ name: string }>`select name from console_migration order by name`.execute(
        dbs[0]!,
      );
      expect(applied.rows.map((r) => r.name)).toEqual(MIGRATIONS);
    } finally {
      await Promise.all(dbs.map((d) => d.destroy()));
    }
  });
});
