import 'server-only';
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Database, Db } from '@/lib/db';
import type { UserNoticeState, UserNoticeTable } from '@/lib/db/schema';
import { toDate, toDateOrNull, toDbTime } from '@/lib/db/values';

export interface NoticeRow {
  id: string;
  createdAt: Date;
  userId: string;
  sessionId: string | null;
  email: string;
  kind: string;
  reasonCode: string;
  subject: string;
  text: string;
  html: string;
  actor: { staffId: string | null; email: string; role: string | null };
  state: UserNoticeState;
  attempts: number;
  nextAttemptAt: Date;
  sentAt: Date | null;
  lastError: string | null;
}

type Raw = Omit<Selectable<UserNoticeTable>, 'lease_owner' | 'lease_until' | 'message_id'>;

function toNotice(r: Raw): NoticeRow {
  return {
    id: r.id,
    createdAt: toDate(r.created_at),
    userId: r.user_id,
    sessionId: r.session_id,
    email: r.email,
    kind: r.kind,
    reasonCode: r.reason_code,
    subject: r.subject,
    text: r.body_text,
    html: r.body_html,
    actor: { staffId: r.actor_staff_id, email: r.actor_email, role: r.actor_role },
    state: r.state,
    attempts: Number(r.attempts),
    nextAttemptAt: toDate(r.next_attempt_at),
    sentAt: toDateOrNull(r.sent_at),
    lastError: r.last_error,
  };
}

export interface CaughtMail {
  id: string;
  receivedAt: Date;
  noticeId: string | null;
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string | null;
}

// Each write after the claim names the lease holder: an instance whose lease ran out changes nothing.
export function noticeStore(db: Db, now: () => Date = () => new Date()) {
  return {
    async insert(
      n: Omit<NoticeRow, 'createdAt' | 'state' | 'attempts' | 'nextAttemptAt' | 'sentAt' | 'lastError'>,
    ) {
      const t = toDbTime(now());
      await db
        .insertInto('user_notices')
        .values({
          id: n.id,
          created_at: t,
          user_id: n.userId,
          session_id: n.sessionId,
          email: n.email,
          kind: n.kind,
          reason_code: n.reasonCode,
          subject: n.subject,
          body_text: n.text,
          body_html: n.html,
          actor_staff_id: n.actor.staffId,
          actor_email: n.actor.email,
          actor_role: n.actor.role,
          state: 'queued',
          next_attempt_at: t,
        })
        .execute();
    },

    async claimNext(owner: string, leaseMs: number): Promise<NoticeRow | null> {
      const t = now();
      const at = toDbTime(t);
      const due = (eb: ExpressionBuilder<Database, 'user_notices'>) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', at)]),
          eb.and([eb('state', '=', 'sending'), eb('lease_until', '<', at)]),
        ]);
      for (let i = 0; i < 3; i++) {
        const candidate = await db
          .selectFrom('user_notices')
          .select('id')
          .where(due)
          .orderBy('next_attempt_at')
          .limit(1)
          .executeTakeFirst();
        if (!candidate) return null;
        const res = await db
          .updateTable('user_notices')
          .set({
            state: 'sending',
            lease_owner: owner,
            lease_until: toDbTime(new Date(t.getTime() + leaseMs)),
          })
          .where('id', '=', candidate.id)
          .where(due)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) continue;
        const row = await db
          .selectFrom('user_notices')
          .selectAll()
          .where('id', '=', candidate.id)
          .executeTakeFirst();
        return row ? toNotice(row as Raw) : null;
      }
      return null;
    },

    async settle(
      id: string,
      owner: string,
      s:
        | { state: 'sent'; attempts: number; messageId: string | null }
        | { state: 'queued'; attempts: number; retryAt: Date; error: string }
        | { state: 'failed'; attempts: number; error: string },
    ): Promise<boolean> {
      const t = toDbTime(now());
      const res = await db
        .updateTable('user_notices')
        .set({
          state: s.state,
          attempts: s.attempts,
          lease_owner: null,
          lease_until: null,
          ...(s.state === 'sent' ? { sent_at: t, message_id: s.messageId } : {}),
          ...(s.state === 'queued' ? { next_attempt_at: toDbTime(s.retryAt) } : {}),
          ...(s.state !== 'sent' ? { last_error: s.error.slice(0, 200) } : {}),
        })
        .where('id', '=', id)
        .where('state', '=', 'sending')
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async list(
      limit: number,
      offset: number,
    ): Promise<{ rows: (NoticeRow & { caught: boolean })[]; more: boolean }> {
      const rows = await db
        .selectFrom('user_notices as n')
        .selectAll('n')
        .select((eb) =>
          eb
            .exists(eb.selectFrom('caught_mail as c').select('c.id').whereRef('c.notice_id', '=', 'n.id'))
            .as('caught'),
        )
        .orderBy('n.created_at', 'desc')
        .orderBy('n.id', 'desc')
        .limit(limit + 1)
        .offset(offset)
        .execute();
      return {
        rows: rows
          .slice(0, limit)
          .map((r) => ({ ...toNotice(r as Raw), caught: Boolean(Number(r.caught)) || r.caught === true })),
        more: rows.length > limit,
      };
    },

    async get(id: string): Promise<NoticeRow | null> {
      const row = await db.selectFrom('user_notices').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toNotice(row as Raw) : null;
    },

    async catch(m: Omit<CaughtMail, 'receivedAt'> & { html: string | null }): Promise<void> {
      await db
        .insertInto('caught_mail')
        .values({
          id: m.id,
          received_at: toDbTime(now()),
          notice_id: m.noticeId,
          mail_from: m.from,
          rcpt_to: m.to,
          subject: m.subject,
          body_text: m.text,
          body_html: m.html,
          message_id: m.messageId,
        })
        .execute();
    },

    async caught(noticeId?: string): Promise<CaughtMail[]> {
      let q = db.selectFrom('caught_mail').selectAll().orderBy('received_at', 'desc').limit(200);
      if (noticeId) q = q.where('notice_id', '=', noticeId);
      return (await q.execute()).map((r) => ({
        id: r.id,
        receivedAt: toDate(r.received_at),
        noticeId: r.notice_id,
        from: r.mail_from,
        to: r.rcpt_to,
        subject: r.subject,
        text: r.body_text,
        messageId: r.message_id,
      }));
    },
  };
}

export type NoticeStore = ReturnType<typeof noticeStore>;
