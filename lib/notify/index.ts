import 'server-only';
import { randomUUID } from 'node:crypto';
import type { AuditActor } from '@/lib/audit';
import { cleanString } from '@/lib/audit/sanitize';
import { getDb, type Db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';
import { isReasonCode, type ReasonCode } from '@/lib/vocabulary/reasons';
import { startMailCatcher, type MailCatcher } from './catcher';
import { noticeStore } from './store';
import { NOTICE_KINDS, noticeHtml, noticeSubject, type NoticeKind } from './templates';
import { noticeWorker, type NoticeWorker } from './worker';

export { previewUserNotice, NOTICE_KINDS, type NoticeKind, type NoticePreview } from './templates';
export { noticeStore, type NoticeRow, type CaughtMail } from './store';

export class NoticeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoticeError';
  }
}

const EMAIL =
  /^[^\s@<>()",;:\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;
const ID = /^[A-Za-z0-9_-]{1,128}$/;
export const MAX_NOTICE_LENGTH = 4_000;

export function noticesEnabled(): boolean {
  const { smtpUrl, localCatcher } = getEnv().notify;
  return smtpUrl !== null || localCatcher;
}

/**
 * One insert: the mail goes out from the background loop, so a slow or dead mail server never delays or fails the
 * action that asked for it. The message is the member's (possibly edited) preview; secrets in it are scrubbed.
 */
export async function queueUserNotice(
  input: {
    userId: string;
    email: string;
    reasonCode: string;
    kind: NoticeKind;
    message: string;
    actor: AuditActor;
    sessionId?: string | null;
  },
  opts: { db?: Db; reasonCodes?: readonly ReasonCode[] } = {},
): Promise<{ id: string }> {
  const email = input.email.trim();
  if (!EMAIL.test(email) || email.length > 254) throw new NoticeError('The user has no valid email address.');
  if (!ID.test(input.userId) || (input.sessionId && !ID.test(input.sessionId)))
    throw new NoticeError('Not a user or session id.');
  if (!(NOTICE_KINDS as readonly string[]).includes(input.kind))
    throw new NoticeError('Unknown kind of notice.');
  if (!isReasonCode(opts.reasonCodes ?? getEnv().reasons.reasonCodes, input.reasonCode))
    throw new NoticeError('Unknown reason code.');
  const text = cleanString(input.message.trim(), MAX_NOTICE_LENGTH, true)?.trim() ?? '';
  if (!text) throw new NoticeError('The message is empty.');
  const id = randomUUID();
  await noticeStore(opts.db ?? (await getDb())).insert({
    id,
    userId: input.userId,
    sessionId: input.sessionId ?? null,
    email,
    kind: input.kind,
    reasonCode: input.reasonCode,
    subject: noticeSubject(input.kind),
    text,
    html: noticeHtml(text),
    actor: { staffId: input.actor.staffId, email: input.actor.email, role: input.actor.role },
  });
  void kickNotifyLoop();
  return { id };
}

const KEY = Symbol.for('session-console.notify-loop');
type Running = { worker: NoticeWorker; catcher: MailCatcher | null };
type Holder = { [KEY]?: Promise<Running | null> };

export function startNotifyLoop(): void {
  const g = globalThis as Holder;
  if (g[KEY]) return;
  const cfg = getEnv().notify;
  if (!cfg.smtpUrl && !cfg.localCatcher) return;
  g[KEY] = (async () => {
    const db = await getDb();
    const catcher = cfg.smtpUrl ? null : await startMailCatcher(noticeStore(db));
    const worker = noticeWorker({
      db,
      smtpUrl: cfg.smtpUrl ?? catcher!.url,
      from: cfg.from,
      maxAttempts: cfg.maxAttempts,
      pollMs: cfg.pollMs,
    });
    worker.start();
    return { worker, catcher };
  })().catch((e: unknown) => {
    log.error({ where: 'notify', err: e instanceof Error ? e.name : 'unknown' }, 'mail loop not started');
    delete g[KEY];
    return null;
  });
}

export async function stopNotifyLoop(): Promise<void> {
  const g = globalThis as Holder;
  const running = await g[KEY];
  delete g[KEY];
  await running?.worker.stop();
  await running?.catcher?.close();
}

export async function kickNotifyLoop(): Promise<void> {
  (await (globalThis as Holder)[KEY])?.worker.kick();
}
