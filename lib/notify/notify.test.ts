// Mail to end users on both engines: caught by the local SMTP server, never holding up the caller, retried, audited.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { auditLog } from '@/lib/audit';
import type { Db } from '@/lib/db';
import { freePort } from '@/lib/testing/ports';
import { openTestDb, TEST_ENGINES } from '@/lib/testing/pg';
import { postgresForThisFile } from '@/lib/testing/engines';
import { DEFAULT_REASON_CODES } from '@/lib/vocabulary/reasons';
import { startMailCatcher, type MailCatcher } from './catcher';
import { previewUserNotice, queueUserNotice } from './index';
import { noticeStore } from './store';
import { noticeWorker, type NoticeWorker } from './worker';

const pg = postgresForThisFile();
const admin = { staffId: 'staff_ada', email: 'ada.admin@console.example', role: 'admin' as const };
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';

async function waitFor<T>(check: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  const until = Date.now() + 15_000;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(TEST_ENGINES)('user notices on %s', (engine) => {
  let db: Db | null = null;
  const stops: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await db?.destroy();
    db = null;
  });

  async function open() {
    if (engine === 'postgres' && !pg.server) return null;
    db = await openTestDb(engine, pg.server);
    return db;
  }

  function worker(d: Db, smtpUrl: string, maxAttempts = 5): NoticeWorker {
    const w = noticeWorker({
      db: d,
      smtpUrl,
      from: 'Support <support@example.com>',
      maxAttempts,
      pollMs: 20,
      backoff: { baseMs: 10, maxMs: 40 },
    });
    stops.push(() => w.stop());
    return w;
  }

  const queue = (d: Db, message: string, userId = 'user_1') =>
    queueUserNotice(
      {
        userId,
        email: 'hana@example.com',
        reasonCode: 'suspected_compromise',
        kind: 'revoke',
        message,
        actor: admin,
        sessionId: 'sess_1',
      },
      { db: d, reasonCodes: DEFAULT_REASON_CODES },
    );

  it('is caught by the local SMTP server with the words written for the user, and no secret or staff name', async () => {
    const d = await open();
    if (!d) return;
    const catcher: MailCatcher = await startMailCatcher(noticeStore(d));
    stops.push(() => catcher.close());
    const preview = previewUserNotice({
      reasonCode: 'suspected_compromise',
      kind: 'revoke',
      ticketRef: 'INC-7',
    });
    const { id } = await queue(d, `${preview.text}\n\nPasted by mistake: ${JWT} ${KEY}`);
    worker(d, catcher.url).start();
    const [mail] = await waitFor(async () => {
      const m = await noticeStore(d).caught(id);
      return m.length ? m : null;
    }, 'the caught mail');
    expect(mail).toMatchObject({
      noticeId: id,
      to: 'hana@example.com',
      from: 'support@example.com',
      subject: 'You were signed out of one of your devices',
    });
    expect(mail!.text).toContain('Our support team signed you out of one of your devices.');
    expect(mail!.text).toContain('We saw activity that may not have been yours.');
    expect(mail!.text).toContain('Reference: INC-7');
    for (const secret of [JWT, KEY, admin.email, admin.staffId, 'sess_1'])
      expect(mail!.text, secret).not.toContain(secret);
    const notice = await waitFor(async () => {
      const n = await noticeStore(d).get(id);
      return n?.state === 'sent' ? n : null;
    }, 'the notice to read as sent');
    expect(notice).toMatchObject({ attempts: 1, lastError: null });
    const { rows } = await auditLog(d).list({ action: 'notify.email', limit: 10, offset: 0 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: 'succeeded',
      actor: admin,
      target: { userId: 'user_1', sessionId: 'sess_1' },
      details: { noticeId: id, reasonCode: 'suspected_compromise', attempts: 1 },
    });
    const listed = await noticeStore(d).list(10, 0);
    expect(listed.rows[0]).toMatchObject({ id, state: 'sent', caught: true });
  });

  it('returns at once while the mail server hangs, and retries then gives up (audited) when it is dead', async () => {
    const d = await open();
    if (!d) return;
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    stops.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    });
    const w = worker(d, `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`);
    const first = await queue(d, 'First message.');
    w.start();
    await waitFor(
      async () => sockets.size > 0 && (await noticeStore(d).get(first.id))?.state === 'sending',
      'a send to hang',
    );
    const second = await queue(d, 'Second message.', 'user_2');
    expect((await noticeStore(d).get(first.id))?.state).toBe('sending');
    expect((await noticeStore(d).get(second.id))?.state).toBe('queued');
    for (const s of sockets) s.destroy();
    await w.stop();

    const dead = worker(d, `smtp://127.0.0.1:${await freePort()}`, 2);
    dead.start();
    const failed = await waitFor(async () => {
      const n = await noticeStore(d).get(second.id);
      return n?.state === 'failed' ? n : null;
    }, 'the notice to give up');
    expect(failed).toMatchObject({ attempts: 2, lastError: 'connection refused' });
    const { rows } = await auditLog(d).list({
      action: 'notify.email',
      outcome: 'failed',
      limit: 10,
      offset: 0,
    });
    expect(rows.map((r) => [r.target.userId, r.code])).toContainEqual(['user_2', 'connection_refused']);
  });

  it('refuses a bad address, an unknown reason code or an empty message before queueing anything', async () => {
    const d = await open();
    if (!d) return;
    const base = {
      userId: 'user_1',
      email: 'hana@example.com',
      reasonCode: 'policy',
      kind: 'bulk' as const,
      message: 'Hi',
      actor: admin,
    };
    const opts = { db: d, reasonCodes: DEFAULT_REASON_CODES };
    await expect(
      queueUserNotice({ ...base, email: 'a@b.example\r\nBcc: x@evil.example' }, opts),
    ).rejects.toThrow(/email/);
    await expect(queueUserNotice({ ...base, reasonCode: 'because' }, opts)).rejects.toThrow(/reason/);
    await expect(queueUserNotice({ ...base, message: '   ' }, opts)).rejects.toThrow(/empty/);
    expect((await noticeStore(d).list(10, 0)).rows).toHaveLength(0);
  });
});
