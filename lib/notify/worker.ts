import 'server-only';
import { randomUUID } from 'node:crypto';
import { auditLog } from '@/lib/audit';
import { isRole } from '@/lib/vocabulary';
import type { Db } from '@/lib/db';
import { log } from '@/lib/log';
import { describeSmtpError, mailSender } from './smtp';
import { noticeStore, type NoticeRow } from './store';

export interface NoticeWorkerOptions {
  db: Db;
  smtpUrl: string;
  from: string;
  maxAttempts: number;
  pollMs: number;
  leaseMs?: number;
  owner?: string;
  backoff?: { baseMs: number; maxMs: number };
  now?: () => Date;
}

export function noticeWorker(o: NoticeWorkerOptions) {
  const now = o.now ?? (() => new Date());
  const owner = o.owner ?? `notify-${randomUUID()}`;
  const leaseMs = o.leaseMs ?? 120_000;
  const backoff = o.backoff ?? { baseMs: 30_000, maxMs: 60 * 60_000 };
  const store = noticeStore(o.db, now);
  const sender = mailSender(o.smtpUrl, o.from);
  const audit = auditLog(o.db, { now });

  async function record(n: NoticeRow, outcome: 'succeeded' | 'failed', attempts: number, code?: string) {
    try {
      await audit.record({
        actor: {
          staffId: n.actor.staffId,
          email: n.actor.email,
          role: isRole(n.actor.role) ? n.actor.role : null,
        },
        action: 'notify.email',
        target: { userId: n.userId, sessionId: n.sessionId },
        details: { noticeId: n.id, kind: n.kind, reasonCode: n.reasonCode, attempts },
        ctx: { ip: null, userAgent: null },
        outcome,
        code: code ?? null,
      });
    } catch {
      log.error({ where: 'notify', noticeId: n.id, outcome }, 'mail outcome not audited');
    }
  }

  async function sendOne(): Promise<boolean> {
    const n = await store.claimNext(owner, leaseMs);
    if (!n) return false;
    const attempts = n.attempts + 1;
    try {
      const messageId = await sender.send({
        noticeId: n.id,
        to: n.email,
        subject: n.subject,
        text: n.text,
        html: n.html,
      });
      if (await store.settle(n.id, owner, { state: 'sent', attempts, messageId }))
        await record(n, 'succeeded', attempts);
    } catch (e) {
      const error = describeSmtpError(e);
      if (attempts >= o.maxAttempts) {
        if (await store.settle(n.id, owner, { state: 'failed', attempts, error }))
          await record(n, 'failed', attempts, error.replace(/\s+/g, '_'));
      } else {
        const delay = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempts - 1));
        await store.settle(n.id, owner, {
          state: 'queued',
          attempts,
          error,
          retryAt: new Date(now().getTime() + delay),
        });
      }
    }
    return true;
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;

  function schedule(ms: number) {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void run(), ms);
    timer.unref();
  }

  function run(): Promise<void> {
    running ??= (async () => {
      try {
        while (!stopped && (await sendOne()));
      } catch (e) {
        log.warn({ where: 'notify', err: e instanceof Error ? e.name : 'unknown' }, 'mail queue pass failed');
      } finally {
        running = null;
        schedule(o.pollMs);
      }
    })();
    return running;
  }

  return {
    owner,
    sendOne,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    kick() {
      if (!running) schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      sender.close();
    },
  };
}

export type NoticeWorker = ReturnType<typeof noticeWorker>;
