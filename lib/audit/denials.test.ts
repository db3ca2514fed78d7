import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, type Db } from '@/lib/db';
import { auditLog, auditToCsv, type AuditActor } from '@/lib/audit';
import { DENIAL_ROWS_PER_MINUTE } from '@/lib/audit/denials';
import { readCsv } from '@/lib/testing/read-csv';
import { freshPostgresSchema, tempSqlite, TEST_ENGINES, type TestEngine } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';
import { bundledScript } from '@/lib/testing/script-bundle';

const ANON: AuditActor = { staffId: null, email: 'anonymous', role: null };
const VIEWER: AuditActor = { staffId: 'staff_viewer', email: 'viewer@example.com', role: 'viewer' };
const T0 = Date.parse('2026-05-01T10:00:00.000Z');

const pg = postgresForThisFile();

const root = path.resolve(import.meta.dirname, '../..');
let fixture: string;
beforeAll(async () => {
  fixture = await bundledScript('lib/audit/denials.fixture.ts');
});

async function target(engine: TestEngine) {
  if (engine === 'sqlite') {
    const file = tempSqlite().path;
    return { arg: file, options: { sqlitePath: file } };
  }
  const url = await freshPostgresSchema(pg.server!.url);
  return { arg: url, options: { databaseUrl: url } };
}

/** Another console process on the same database; `go()` releases its burst of refusals. */
function instance(arg: string, n: number, ip: string, at?: number) {
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', fixture, arg, String(n), ip, ...(at ? [String(at)] : [])],
    { cwd: root, env: { ...process.env, NODE_ENV: 'test' } },
  );
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) resolve();
    });
    child.on('close', () => reject(new Error(`instance exited early: ${out}`)));
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ auditId: string; count: number }[]>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(out)),
    ),
  );
  return { ready, done, go: () => child.stdin.end('go\n') };
}

describe.each(TEST_ENGINES)('denials folded per source and minute, on %s', (engine) => {
  let dbs: Db[] = [];
  let now = T0;
  const at = () => new Date(now);
  const anonDenied = (db: Db, ip = '198.51.100.7', where = 'api:/api/audit/export') =>
    auditLog(db, { now: at }).denied({
      actor: ANON,
      action: 'access.denied',
      code: 'unauthenticated',
      details: { permission: 'audit:read', where },
      ctx: { ip, userAgent: 'curl/8' },
    });
  const denials = (db: Db) =>
    auditLog(db, { now: at })
      .list({ action: 'access.denied', limit: 500, offset: 0 })
      .then((r) => r.rows);
  const rawRows = async (db: Db) =>
    Number(
      (
        await db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  afterEach(async () => {
    await Promise.all(dbs.map((db) => db.destroy().catch(() => {})));
    dbs = [];
    now = T0;
  });

  async function open() {
    if (engine === 'postgres' && !pg.server) return null;
    const t = await target(engine);
    dbs = [await createDb(t.options)];
    return dbs as [Db];
  }

  it('200 anonymous refusals in one minute make one audit row whose count is 200', async (ctx) => {
    const pair = await open();
    if (!pair) return ctx.skip();
    const [db] = pair;
    for (let i = 0; i < 200; i++) {
      now = T0 + i * 250; // 50 s: all within 10:00
      await anonDenied(db, '198.51.100.7', i % 2 ? 'api:/api/audit/export' : 'api:/api/sessions');
    }
    expect(await rawRows(db)).toBe(1);
    const rows = await denials(db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: 'denied',
      code: 'unauthenticated',
      actor: { email: 'anonymous', staffId: null },
      ctx: { ip: '198.51.100.7' },
      at: new Date(T0),
      details: {
        count: 200,
        lastAt: new Date(T0 + 199 * 250).toISOString(),
        byWhere: { 'api:/api/audit/export': 100, 'api:/api/sessions': 100 },
      },
    });
    // The count reaches the export, as a number.
    const [header, record] = readCsv(auditToCsv(rows));
    expect(record![header!.indexOf('count')]).toBe('200');
  });

  it('a new minute, a new address or a known staff member starts a new row; each count stays exact', async (ctx) => {
    const pair = await open();
    if (!pair) return ctx.skip();
    const [db] = pair;
    for (let i = 0; i < 3; i++) await anonDenied(db);
    await anonDenied(db, '203.0.113.9');
    await auditLog(db, { now: at }).denied({
      actor: VIEWER,
      action: 'access.denied',
      code: 'forbidden',
      details: { permission: 'audit:read' },
      ctx: { ip: '198.51.100.7', userAgent: 'Mozilla/5.0' },
    });
    await auditLog(db, { now: at }).denied({
      actor: { staffId: null, email: 'admin@example.com', role: null },
      action: 'auth.sign_in',
      code: 'throttled',
      details: {},
      ctx: { ip: '198.51.100.7', userAgent: 'curl/8' },
    });
    now = T0 + 60_000;
    for (let i = 0; i < 2; i++) await anonDenied(db);
    expect(await rawRows(db)).toBe(5);
    const all = await auditLog(db, { now: at }).list({ outcome: 'denied', limit: 50, offset: 0 });
    const summary = all.rows
      .map((r) => [r.action, r.code, r.ctx.ip, r.actor.staffId, r.at.toISOString(), r.details.count])
      .sort((a, b) => String(a).localeCompare(String(b)));
    expect(summary).toEqual(
      [
        ['access.denied', 'unauthenticated', '198.51.100.7', null, '2026-05-01T10:00:00.000Z', 3],
        ['access.denied', 'unauthenticated', '203.0.113.9', null, '2026-05-01T10:00:00.000Z', 1],
        ['access.denied', 'forbidden', '198.51.100.7', 'staff_viewer', '2026-05-01T10:00:00.000Z', 1],
        ['auth.sign_in', 'throttled', '198.51.100.7', null, '2026-05-01T10:00:00.000Z', 1],
        ['access.denied', 'unauthenticated', '198.51.100.7', null, '2026-05-01T10:01:00.000Z', 2],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
  });

  it('concurrent duplicates in one instance and from two more processes lose nothing and write one row', async (ctx) => {
    if (engine === 'postgres' && !pg.server) return ctx.skip();
    const t = await target(engine);
    const db = await createDb(t.options);
    dbs = [db];
    const others = [instance(t.arg, 60, '192.0.2.44'), instance(t.arg, 60, '192.0.2.44')];
    await Promise.all(others.map((o) => o.ready));
    for (const o of others) o.go();
    const here = await Promise.all(
      Array.from({ length: 60 }, () =>
        auditLog(db).denied({
          actor: ANON,
          action: 'access.denied',
          code: 'unauthenticated',
          details: {},
          ctx: { ip: '192.0.2.44', userAgent: null },
        }),
      ),
    );
    const results = [...here, ...(await Promise.all(others.map((o) => o.done))).flat()];
    expect(new Set(results.map((r) => r.auditId)).size).toBe(1);
    // Every caller was given a distinct running count: 1..180, each exactly once.
    expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 180 }, (_, i) => i + 1),
    );
    expect(await rawRows(db)).toBe(1);
    expect((await auditLog(db).list({ limit: 10, offset: 0 })).rows.map((r) => r.details.count)).toEqual([
      180,
    ]);
  });

  it('throttled sign-ins fold per address too, naming the accounts tried (at most 50, the rest together)', async (ctx) => {
    const pair = await open();
    if (!pair) return ctx.skip();
    const [db] = pair;
    for (let i = 0; i < 60; i++)
      await auditLog(db, { now: at }).denied({
        actor: { staffId: null, email: `target-${String(i).padStart(2, '0')}@example.com`, role: null },
        action: 'auth.sign_in',
        code: 'throttled',
        details: {},
        ctx: { ip: '198.51.100.7', userAgent: 'curl/8' },
      });
    expect(await rawRows(db)).toBe(1);
    const [row] = (await auditLog(db, { now: at }).list({ action: 'auth.sign_in', limit: 5, offset: 0 }))
      .rows;
    expect(row!.details.count).toBe(60);
    const byAccount = row!.details.byAccount as Record<string, number>;
    expect(Object.keys(byAccount)).toHaveLength(51);
    expect(byAccount['target-00@example.com']).toBe(1);
    expect(byAccount['(others)']).toBe(10);
    expect(Object.values(byAccount).reduce((a, b) => a + b, 0)).toBe(60);
  });

  it('rotating through one IPv6 /64 (or IPv4-mapped forms) folds into one row per /64, counting exactly', async (ctx) => {
    const pair = await open();
    if (!pair) return ctx.skip();
    const [db] = pair;
    for (let i = 0; i < 150; i++)
      await anonDenied(db, `2001:db8:7:9:${((i * 7919) % 65536).toString(16)}::${i + 1}`);
    await anonDenied(db, '2001:0DB8:0007:0009:ffff:ffff:ffff:ffff');
    await anonDenied(db, '2001:db8:7:a::1');
    await anonDenied(db, '::ffff:198.51.100.7');
    await anonDenied(db, '198.51.100.7');
    expect(await rawRows(db)).toBe(3);
    const rows = (await denials(db)).map((r) => [r.ctx.ip, r.details.count]);
    expect(rows.sort()).toEqual([
      ['198.51.100.7', 2],
      ['2001:db8:7:9::/64', 151],
      ['2001:db8:7:a::/64', 1],
    ]);
  });

  it(`past ${DENIAL_ROWS_PER_MINUTE} new rows in a minute, one "others" row counts every refusal beyond, exactly`, async (ctx) => {
    const pair = await open();
    if (!pair) return ctx.skip();
    const [db] = pair;
    const source = (i: number) => `10.${Math.floor(i / 250)}.${i % 250}.1`;
    for (let i = 0; i < DENIAL_ROWS_PER_MINUTE; i++) await anonDenied(db, source(i));
    // 250 more sources (some twice, one a signed-in viewer's sign-in refusal), then one already known.
    for (let i = DENIAL_ROWS_PER_MINUTE; i < DENIAL_ROWS_PER_MINUTE + 250; i++)
      await anonDenied(db, source(i));
    for (let i = DENIAL_ROWS_PER_MINUTE; i < DENIAL_ROWS_PER_MINUTE + 20; i++)
      await anonDenied(db, source(i));
    await auditLog(db, { now: at }).denied({
      actor: { staffId: null, email: 'admin@example.com', role: null },
      action: 'auth.sign_in',
      code: 'throttled',
      details: {},
      ctx: { ip: '2001:db8:ff::1', userAgent: 'curl/8' },
    });
    await anonDenied(db, source(0));
    expect(await rawRows(db)).toBe(DENIAL_ROWS_PER_MINUTE + 1);
    const all = (await auditLog(db, { now: at }).list({ outcome: 'denied', limit: 500, offset: 0 })).rows;
    const others = all.filter((r) => r.actor.email === '(others)');
    expect(others).toHaveLength(1);
    expect(others[0]).toMatchObject({
      action: 'access.denied',
      code: 'overflow',
      ctx: { ip: null },
      details: {
        count: 271,
        byWhere: { 'access.denied unauthenticated': 270, 'auth.sign_in throttled': 1 },
      },
    });
    expect(all.find((r) => r.ctx.ip === source(0))!.details.count).toBe(2);
    // A new minute has room again.
    now = T0 + 60_000;
    await anonDenied(db, source(400));
    expect((await denials(db)).find((r) => r.ctx.ip === source(400))!.details.count).toBe(1);
  });

  it('the cap holds when new sources arrive at once from this process and two more', async (ctx) => {
    if (engine === 'postgres' && !pg.server) return ctx.skip();
    const t = await target(engine);
    const db = await createDb(t.options);
    dbs = [db];
    const others = [instance(t.arg, 70, '10.1.0.{i}', T0), instance(t.arg, 70, '10.2.0.{i}', T0)];
    await Promise.all(others.map((o) => o.ready));
    for (const o of others) o.go();
    await Promise.all(Array.from({ length: 70 }, (_, i) => anonDenied(db, `10.3.0.${i}`)));
    await Promise.all(others.map((o) => o.done));
    expect(await rawRows(db)).toBe(DENIAL_ROWS_PER_MINUTE + 1);
    const rows = await denials(db);
    expect(rows.reduce((n, r) => n + Number(r.details.count), 0)).toBe(210);
    expect(rows.find((r) => r.actor.email === '(others)')!.details.count).toBe(210 - DENIAL_ROWS_PER_MINUTE);
  });

  it('refused single sign-ins fold per source too, naming the emails tried', async (ctx) => {
    const pair = await open();
    if (!pair) return ctx.skip();
    const [db] = pair;
    for (let i = 0; i < 40; i++)
      await auditLog(db, { now: at }).denied({
        actor: { staffId: null, email: `eve-${i % 4}@evil.test`, role: null },
        action: 'auth.sign_in',
        code: 'not_allowlisted',
        details: { provider: 'oidc' },
        ctx: { ip: `2001:db8:5::${i + 1}`, userAgent: 'Mozilla/5.0' },
      });
    expect(await rawRows(db)).toBe(1);
    const [row] = (await auditLog(db, { now: at }).list({ action: 'auth.sign_in', limit: 5, offset: 0 }))
      .rows;
    expect(row).toMatchObject({
      code: 'not_allowlisted',
      ctx: { ip: '2001:db8:5:0::/64' },
      details: { provider: 'oidc', count: 40, byAccount: { 'eve-0@evil.test': 10, 'eve-3@evil.test': 10 } },
    });
  });

  it('the counter only counts up: lowering, re-keying or deleting a count is refused by the database', async (ctx) => {
    const pair = await open();
    if (!pair) return ctx.skip();
    const [db] = pair;
    await anonDenied(db);
    await anonDenied(db);
    await expect(sql`update audit_denials set hits = 1`.execute(db)).rejects.toThrow(/only counts up/);
    await expect(sql`update audit_denials set ip = '10.0.0.1'`.execute(db)).rejects.toThrow(/only counts up/);
    await expect(sql`delete from audit_denials`.execute(db)).rejects.toThrow(/only counts up/);
    await expect(sql`update audit_denial_parts set hits = 1`.execute(db)).rejects.toThrow(/only counts up/);
    await expect(sql`delete from audit_denial_parts`.execute(db)).rejects.toThrow(/only counts up/);
    expect((await denials(db))[0]!.details.count).toBe(2);
  });

  it('refuses an action or code that is not a denial', async (ctx) => {
    const pair = await open();
    if (!pair) return ctx.skip();
    const [db] = pair;
    await expect(
      auditLog(db).denied({
        actor: ANON,
        action: 'session.revoke' as 'access.denied',
        code: 'unauthenticated',
        details: {},
        ctx: { ip: null, userAgent: null },
      }),
    ).rejects.toThrow(/Unknown denial/);
    expect(await rawRows(db)).toBe(0);
  });
});
