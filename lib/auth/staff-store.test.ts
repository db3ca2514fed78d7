import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '@/lib/db';
import { staffStore, StaffStoreError } from '@/lib/auth/staff-store';
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from '@/lib/auth/passwords';
import {
  openTestDb,
  removeTempSqlite,
  startTestPostgres,
  TEST_ENGINES,
  type TestPostgres,
} from '@/lib/testing/pg';

const PASSWORD = 'correct horse battery staple';

let server: TestPostgres | null = null;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
  removeTempSqlite();
});

describe('passwords', () => {
  it('hashes with argon2id and a random salt, and verifies only the right password', async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, PASSWORD)).toBe(true);
    expect(await verifyPassword(a, PASSWORD.toUpperCase())).toBe(false);
    expect(await verifyPassword('not a hash', PASSWORD)).toBe(false);
    expect(await verifyPassword(a, 'x'.repeat(2000))).toBe(false);
    expect(needsRehash(a)).toBe(false);
  });

  it('asks for long passwords, not composition rules', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('all lower case but long')).toBeNull();
    expect(passwordProblem(' padded password ')).toMatch(/space/);
    expect(passwordProblem('x'.repeat(1025))).toMatch(/at most/);
  });
});

describe.each(TEST_ENGINES)('staff store on %s', (engine) => {
  let db: Db;
  let clock: Date;
  const store = () => staffStore(db, { now: () => clock });

  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !server) ctx.skip();
    clock = new Date('2026-05-01T10:00:00.000Z');
    db = await openTestDb(engine, server);
  });
  afterEach(async () => {
    await db?.destroy();
  });

  it('adds a member with a normalised email and finds them by email (any case) and id', async () => {
    const added = await store().add({ email: '  Alice@Example.COM ', role: 'support', password: PASSWORD });
    expect(added).toMatchObject({
      email: 'alice@example.com',
      role: 'support',
      disabled: false,
      sessionVersion: 0,
      source: 'password',
      hasPassword: true,
      lastSignInAt: null,
      createdAt: clock,
    });
    expect(await store().findByEmail('ALICE@example.com')).toEqual(added);
    expect(await store().findById(added.id)).toEqual(added);
    expect(await store().findByEmail('bob@example.com')).toBeNull();
    expect(await store().findById('no-such-id')).toBeNull();
    const row = await db
      .selectFrom('staff')
      .select('password_hash')
      .where('id', '=', added.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(added)).not.toContain('argon2');
  });

  it('refuses a duplicate email, whatever its case, a bad email, role or a short password', async () => {
    await store().add({ email: 'alice@example.com', role: 'viewer' });
    await expect(store().add({ email: 'ALICE@example.com', role: 'admin' })).rejects.toMatchObject({
      code: 'duplicate',
    });
    await expect(store().add({ email: 'not-an-email', role: 'viewer' })).rejects.toMatchObject({
      code: 'invalid_email',
    });
    await expect(store().add({ email: 'x@example.com', role: 'root' as never })).rejects.toMatchObject({
      code: 'invalid_role',
    });
    await expect(
      store().add({ email: 'y@example.com', role: 'viewer', password: 'short' }),
    ).rejects.toBeInstanceOf(StaffStoreError);
    expect((await store().list()).map((m) => m.email)).toEqual(['alice@example.com']);
  });

  it('lists members by email', async () => {
    for (const email of ['carol@example.com', 'alice@example.com', 'bob@example.com'])
      await store().add({ email, role: 'viewer' });
    expect((await store().list()).map((m) => m.email)).toEqual([
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
    ]);
  });

  it('checks passwords: right → the member, wrong / unknown / no password / disabled → null', async () => {
    const alice = await store().add({ email: 'alice@example.com', role: 'admin', password: PASSWORD });
    await store().add({ email: 'sso@example.com', role: 'viewer', source: 'oidc' });
    expect((await store().checkPassword('Alice@Example.com', PASSWORD))?.id).toBe(alice.id);
    expect(await store().checkPassword('alice@example.com', 'wrong password!!')).toBeNull();
    expect(await store().checkPassword('nobody@example.com', PASSWORD)).toBeNull();
    expect(await store().checkPassword('sso@example.com', PASSWORD)).toBeNull();
    await store().setDisabled(alice.id, true);
    expect(await store().checkPassword('alice@example.com', PASSWORD)).toBeNull();
  });

  it('spends as long on an unknown email as on a wrong password (no enumeration by timing)', async () => {
    await store().add({ email: 'alice@example.com', role: 'admin', password: PASSWORD });
    await store().checkPassword('warm-up@example.com', PASSWORD); // the dummy hash is made once per process
    const time = async (email: string) => {
      const t = performance.now();
      await store().checkPassword(email, 'wrong password!!');
      return performance.now() - t;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 6; i++) {
      known.push(await time('alice@example.com'));
      unknown.push(await time(`nobody${i}@example.com`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Both run one argon2 verification (tens of ms); a shortcut for unknown emails would take well under 1 ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.3);
    expect(median(unknown)).toBeLessThan(median(known) * 3);
  });

  it('upgrades a hash made with weaker settings at the next successful sign-in', async () => {
    const alice = await store().add({ email: 'alice@example.com', role: 'admin' });
    const { hash } = await import('@node-rs/argon2');
    const weak = await hash(PASSWORD, { memoryCost: 4096, timeCost: 1 });
    await db.updateTable('staff').set({ password_hash: weak }).where('id', '=', alice.id).execute();
    expect(await store().checkPassword('alice@example.com', PASSWORD)).not.toBeNull();
    const row = await db
      .selectFrom('staff')
      .select('password_hash')
      .where('id', '=', alice.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).not.toBe(weak);
    expect(row.password_hash).toMatch(/m=19456,t=2/);
  });

  it('changes roles, and a password change ends every session', async () => {
    const alice = await store().add({ email: 'alice@example.com', role: 'viewer', password: PASSWORD });
    clock = new Date('2026-05-01T11:00:00.000Z');
    expect(await store().setRole(alice.id, 'admin')).toMatchObject({
      role: 'admin',
      sessionVersion: 0,
      updatedAt: clock,
    });
    await expect(store().setRole(alice.id, 'owner' as never)).rejects.toMatchObject({ code: 'invalid_role' });
    const changed = await store().setPassword(alice.id, 'a brand new passphrase');
    expect(changed.sessionVersion).toBe(1);
    expect(await store().checkPassword('alice@example.com', PASSWORD)).toBeNull();
    expect(await store().checkPassword('alice@example.com', 'a brand new passphrase')).not.toBeNull();
    await expect(store().setPassword(alice.id, 'short')).rejects.toMatchObject({ code: 'weak_password' });
    await expect(store().setRole('no-such-id', 'admin')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('disables (ending sessions), re-enables, and signs out everywhere by bumping the session version', async () => {
    const alice = await store().add({ email: 'alice@example.com', role: 'support', password: PASSWORD });
    expect(await store().signOutEverywhere(alice.id)).toMatchObject({ sessionVersion: 1 });
    expect(await store().signOutEverywhere(alice.id)).toMatchObject({ sessionVersion: 2 });
    expect(await store().setDisabled(alice.id, true)).toMatchObject({ disabled: true, sessionVersion: 3 });
    expect(await store().setDisabled(alice.id, false)).toMatchObject({ disabled: false, sessionVersion: 3 });
    expect((await store().findById(alice.id))?.sessionVersion).toBe(3);
  });

  it('records the last sign-in time', async () => {
    const alice = await store().add({ email: 'alice@example.com', role: 'support' });
    clock = new Date('2026-05-02T08:30:00.000Z');
    await store().recordSignIn(alice.id);
    expect((await store().findById(alice.id))?.lastSignInAt).toEqual(clock);
  });

  it('binds an SSO member to (issuer, subject); later sign-ins keep the role and disable set in the console', async () => {
    const iss = 'https://idp.example';
    const first = await store().signInOidc({
      issuer: iss,
      subject: 'u-1',
      email: 'Sso@Corp.example',
      role: 'viewer',
    });
    expect(first).toMatchObject({
      ok: true,
      created: true,
      member: { email: 'sso@corp.example', role: 'viewer', source: 'oidc', hasPassword: false },
    });
    if (!first.ok) return;
    const [a, b] = await Promise.all([
      store().signInOidc({ issuer: iss, subject: 'u-1', email: 'sso@corp.example', role: 'admin' }),
      store().signInOidc({ issuer: iss, subject: 'u-1', email: 'sso@corp.example', role: 'admin' }),
    ]);
    // The allowlist now says admin, but the member exists: the console's role stands.
    for (const r of [a, b])
      expect(r).toMatchObject({ ok: true, member: { id: first.member.id, role: 'viewer' } });
    await store().setRole(first.member.id, 'support');
    await store().setDisabled(first.member.id, true);
    expect(
      await store().signInOidc({ issuer: iss, subject: 'u-1', email: 'sso@corp.example', role: 'admin' }),
    ).toMatchObject({ ok: true, member: { role: 'support', disabled: true } });
    expect(await store().findByOidc(iss, 'u-1')).toMatchObject({ id: first.member.id });
    expect(await store().findByOidc('https://other.example', 'u-1')).toBeNull();
  });

  it('never merges an SSO sign-in into an account that has the same email', async () => {
    const pw = await store().add({ email: 'pw@corp.example', role: 'viewer', password: PASSWORD });
    const iss = 'https://idp.example';
    expect(
      await store().signInOidc({ issuer: iss, subject: 'attacker', email: 'PW@corp.example', role: 'admin' }),
    ).toEqual({ ok: false, code: 'email_in_use' });
    await store().signInOidc({ issuer: iss, subject: 'u-2', email: 'sso2@corp.example', role: 'viewer' });
    // Another subject claiming an SSO member's email gets nothing either (the same issuer or another one).
    for (const [issuer, subject] of [
      [iss, 'u-3'],
      ['https://other.example', 'u-2'],
    ] as const)
      expect(
        await store().signInOidc({ issuer, subject, email: 'sso2@corp.example', role: 'admin' }),
      ).toEqual({ ok: false, code: 'email_in_use' });
    expect(await store().findById(pw.id)).toMatchObject({
      source: 'password',
      hasPassword: true,
      role: 'viewer',
    });
    expect((await store().list()).length).toBe(2);
  });

  it('rejects a role outside the three at the database too', async () => {
    await store().add({ email: 'alice@example.com', role: 'viewer' });
    await expect(sql`update staff set role = 'root'`.execute(db)).rejects.toThrow();
  });
});
