import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb, sqlitePathFor, type Db } from '@/lib/db';
import { auditLog } from '@/lib/audit';
import { staffStore } from '@/lib/auth/staff-store';
import { runStaffCli, type CliIo } from '@/lib/auth/staff-cli';
import { freshPostgresSchema, openTestDb } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';

const root = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'a long enough passphrase';

const pg = postgresForThisFile();

/** Runs `npm run staff -- …` exactly as package.json spells it (tsx and its flags), without npm's own start-up. */
function staffCommand(
  args: string[],
  env: Record<string, string>,
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = (
    JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts.staff!;
  const [bin, ...scriptArgs] = script.split(' ');
  expect(bin).toBe('tsx');
  return new Promise((resolve) => {
    const base = { ...process.env };
    for (const k of ['DATABASE_URL', 'DATA_DIR', 'CLERK_SECRET_KEY', 'AUTH_SECRET']) delete base[k];
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [...scriptArgs, ...args], {
      cwd: root,
      env: { ...base, NODE_ENV: 'production', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('npm run staff (separate process)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-staff-cli-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a member on the console database in $DATA_DIR, whose password then works for sign-in', async () => {
    const added = await staffCommand(
      ['add', 'Alice@Example.com', 'support', '--password-stdin'],
      { DATA_DIR: dataDir },
      `${PASSWORD}\n`,
    );
    expect(added, added.stderr).toMatchObject({ code: 0, stdout: 'Added alice@example.com as support.\n' });
    const listed = await staffCommand(['list'], { DATA_DIR: dataDir });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^EMAIL\s+ROLE\s+STATUS/);
    expect(listed.stdout).toMatch(/alice@example\.com\s+support\s+enabled\s+password\s+never/);

    const db = await createDb({ sqlitePath: sqlitePathFor(dataDir) });
    try {
      expect((await staffStore(db).checkPassword('alice@example.com', PASSWORD))?.role).toBe('support');
      const { rows } = await auditLog(db).list({ action: 'staff.manage', limit: 10, offset: 0 });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        outcome: 'succeeded',
        details: { via: 'cli', command: 'add', email: 'alice@example.com', role: 'support' },
      });
      expect(rows[0]!.actor.email).toMatch(/^cli:/);
      expect(JSON.stringify(rows)).not.toContain(PASSWORD);
    } finally {
      await db.destroy();
    }
    expect(fs.statSync(sqlitePathFor(dataDir)).mode & 0o077).toBe(0);
  });

  it('exits 2 on wrong usage, 1 on a refused change, with a message on stderr and nothing changed', async () => {
    const argvPassword = await staffCommand(['add', 'bob@example.com', 'admin', PASSWORD], {
      DATA_DIR: dataDir,
    });
    expect(argvPassword.code).toBe(2);
    expect(argvPassword.stderr).toMatch(/never taken from the command line/);
    const unknown = await staffCommand(['disable', 'nobody@example.com'], { DATA_DIR: dataDir });
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/No staff member has the email nobody@example.com/);
    const db = await createDb({ sqlitePath: sqlitePathFor(dataDir) });
    try {
      expect(await staffStore(db).list()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('works on PostgreSQL when DATABASE_URL is set', async (ctx) => {
    if (!pg.server) ctx.skip();
    const url = await freshPostgresSchema(pg.server!.url);
    const added = await staffCommand(
      ['add', 'carol@example.com', 'admin', '--password-stdin'],
      { DATA_DIR: dataDir, DATABASE_URL: url },
      PASSWORD,
    );
    expect(added, added.stderr).toMatchObject({ code: 0 });
    const db = await createDb({ databaseUrl: url });
    try {
      expect((await staffStore(db).findByEmail('carol@example.com'))?.role).toBe('admin');
    } finally {
      await db.destroy();
    }
    expect(fs.existsSync(sqlitePathFor(dataDir))).toBe(false);
  });
});

describe('staff CLI commands', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb('sqlite', null);
  });
  afterEach(async () => {
    await db.destroy();
  });

  function io(input = '', tty = false) {
    const stdin = Object.assign(new PassThrough(), { isTTY: tty, setRawMode: (_raw: boolean) => stdin });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    if (!tty) stdin.end(input);
    return { io: { stdin, stdout, stderr } satisfies CliIo, stdin, out: () => out, err: () => err };
  }
  const cli = (argv: string[], t = io()) => runStaffCli(argv, t.io, { db: async () => db });
  const batch = async (argv: string[], input: string) => {
    const t = io(input);
    const code = await cli(['add-batch', ...argv], t);
    return { code, out: t.out(), err: t.err() };
  };

  it('adds one member a line, each audited like `add`, and prints their ids with --json', async () => {
    const r = await batch(
      ['--json'],
      'A@Example.com viewer first long passphrase\n\nb@example.com admin second-long-passphrase\n',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const store = staffStore(db);
    const a = await store.checkPassword('a@example.com', 'first long passphrase');
    const b = await store.checkPassword('b@example.com', 'second-long-passphrase');
    expect([a?.role, b?.role]).toEqual(['viewer', 'admin']);
    expect(JSON.parse(r.out)).toEqual(
      expect.arrayContaining([
        { id: a!.id, email: 'a@example.com', role: 'viewer' },
        { id: b!.id, email: 'b@example.com', role: 'admin' },
      ]),
    );
    const { rows } = await auditLog(db).list({ action: 'staff.manage', limit: 10, offset: 0 });
    expect(rows.map((row) => [row.details.command, row.details.email, row.outcome])).toEqual([
      ['add', 'b@example.com', 'succeeded'],
      ['add', 'a@example.com', 'succeeded'],
    ]);
    expect(JSON.stringify(rows)).not.toContain('passphrase');
  });

  it('without --json prints what `add` prints, line by line', async () => {
    const r = await batch([], 'c@example.com support a long enough password\n');
    expect(r).toEqual({ code: 0, out: 'Added c@example.com as support.\n', err: '' });
  });

  it('stops at the first refused line, with the exit code and message `add` gives', async () => {
    const weak = await batch(
      [],
      'd@example.com viewer a long enough password\ne@example.com viewer short\nf@example.com viewer a long enough password\n',
    );
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/at least 12/);
    const malformed = await batch([], 'g@example.com viewer\n');
    expect(malformed.code).toBe(2);
    expect(malformed.err).toMatch(/line 1: expected <email> <role> <password>/);
    expect(await batch(['--all'], '')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/Unknown option --all/),
    });
    expect((await staffStore(db).list()).map((m) => m.email)).toEqual(['d@example.com']);
  });

  it('changes roles, disables, enables, signs out and resets passwords, each audited', async () => {
    expect(await cli(['add', 'alice@example.com', 'viewer', '--password-stdin'], io(PASSWORD))).toBe(0);
    const store = staffStore(db);
    const before = (await store.findByEmail('alice@example.com'))!;

    const t = io();
    expect(await cli(['set-role', 'ALICE@example.com', 'admin'], t)).toBe(0);
    expect(t.out()).toBe(
      'alice@example.com is now admin (was viewer). It applies from their next request.\n',
    );
    expect(await cli(['sign-out', 'alice@example.com'])).toBe(0);
    expect((await store.findById(before.id))?.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await cli(['disable', 'alice@example.com'])).toBe(0);
    expect(await store.checkPassword('alice@example.com', PASSWORD)).toBeNull();
    expect(await cli(['enable', 'alice@example.com'])).toBe(0);
    expect((await store.checkPassword('alice@example.com', PASSWORD))?.role).toBe('admin');
    expect(
      await cli(
        ['set-password', 'alice@example.com', '--password-stdin'],
        io('another long passphrase\nignored second line\n'),
      ),
    ).toBe(0);
    expect(await store.checkPassword('alice@example.com', PASSWORD)).toBeNull();
    expect(await store.checkPassword('alice@example.com', 'another long passphrase')).not.toBeNull();
    expect((await store.findById(before.id))?.sessionVersion).toBe(before.sessionVersion + 3);

    const { rows } = await auditLog(db).list({ action: 'staff.manage', limit: 20, offset: 0 });
    expect(rows.map((r) => [r.details.command, r.outcome])).toEqual([
      ['set-password', 'succeeded'],
      ['enable', 'succeeded'],
      ['disable', 'succeeded'],
      ['sign-out', 'succeeded'],
      ['set-role', 'succeeded'],
      ['add', 'succeeded'],
    ]);
  });

  it('audits a refused add as failed', async () => {
    await cli(['add', 'alice@example.com', 'viewer', '--password-stdin'], io(PASSWORD));
    const t = io(PASSWORD);
    expect(await cli(['add', 'alice@example.com', 'admin', '--password-stdin'], t)).toBe(1);
    expect(t.err()).toMatch(/already exists/);
    const { rows } = await auditLog(db).list({ action: 'staff.manage', limit: 5, offset: 0 });
    expect(rows[0]).toMatchObject({ outcome: 'failed', code: 'duplicate' });
  });

  it('rejects bad roles, weak passwords, unknown options and missing arguments', async () => {
    const cases: [string[], string, number, RegExp][] = [
      [['add', 'a@example.com', 'root', '--password-stdin'], PASSWORD, 2, /Unknown role "root"/],
      [['add', 'a@example.com', 'viewer', '--password-stdin'], 'short', 1, /at least 12/],
      [['add', 'a@example.com', '--password-stdin'], PASSWORD, 2, /Missing <role>/],
      [['list', '--all'], '', 2, /Unknown option --all/],
      [['add', 'a@example.com', 'viewer'], '', 2, /--password-stdin/],
      [[], '', 2, /Usage/],
    ];
    for (const [argv, input, code, message] of cases) {
      const t = io(input);
      expect(await cli(argv, t), argv.join(' ')).toBe(code);
      expect(t.err() + t.out()).toMatch(message);
    }
    expect(await staffStore(db).list()).toEqual([]);
  });

  it('asks for the password twice on a terminal, without echoing it', async () => {
    const t = io('', true);
    const done = cli(['add', 'dan@example.com', 'support'], t);
    await new Promise((r) => setTimeout(r, 20));
    t.stdin.write(`${PASSWORD}x\u007f\r`);
    await new Promise((r) => setTimeout(r, 20));
    t.stdin.write(`${PASSWORD}\r`);
    expect(await done).toBe(0);
    expect(t.err()).toContain('New password: ');
    expect(t.err()).toContain('Repeat it: ');
    expect(t.err() + t.out()).not.toContain(PASSWORD);
    expect(await staffStore(db).checkPassword('dan@example.com', PASSWORD)).not.toBeNull();
  });

  it('refuses when the two typed passwords differ', async () => {
    const t = io('', true);
    const done = cli(['add', 'dan@example.com', 'support'], t);
    await new Promise((r) => setTimeout(r, 20));
    t.stdin.write(`${PASSWORD}\r`);
    await new Promise((r) => setTimeout(r, 20));
    t.stdin.write(`${PASSWORD}!\r`);
    expect(await done).toBe(1);
    expect(t.err()).toMatch(/differ/);
    expect(await staffStore(db).list()).toEqual([]);
  });
});
