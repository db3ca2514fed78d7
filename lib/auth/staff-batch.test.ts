import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { auditLog } from '@/lib/audit';
import { staffStore } from '@/lib/auth/staff-store';
import { openTestDb } from '@/lib/testing/pg';
import { runStaffCli } from './staff-cli';

describe('staff add-batch', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb('sqlite', null);
  });
  afterEach(async () => {
    await db.destroy();
  });

  async function batch(argv: string[], input: string) {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    stdin.end(input);
    const code = await runStaffCli(['add-batch', ...argv], { stdin, stdout, stderr }, { db: async () => db });
    return { code, out, err };
  }

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
});
