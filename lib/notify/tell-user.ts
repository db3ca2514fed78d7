import 'server-only';
import type { AuditActor } from '@/lib/audit';
import { getUser } from '@/lib/clerk';
import { log } from '@/lib/log';
import { noticesEnabled, queueUserNotice } from './index';
import type { NoticeKind } from './templates';
import type { JobNotice } from '@/lib/jobs/types';

export type NoticeOutcome = 'queued' | 'not_queued';

/**
 * Called only after the action succeeded. The address is Clerk's, never the browser's, and nothing here throws:
 * a user who is not told is recorded as `not_queued`, the action itself stands.
 */
export async function tellUser(o: {
  userId: string;
  kind: NoticeKind;
  reasonCode: string;
  message: string;
  actor: AuditActor;
  sessionId?: string | null;
}): Promise<{ notice: NoticeOutcome; noticeId?: string }> {
  try {
    if (!noticesEnabled()) return { notice: 'not_queued' };
    const email = (await getUser(o.userId)).primaryEmail;
    if (!email) return { notice: 'not_queued' };
    const { id } = await queueUserNotice({ ...o, email });
    return { notice: 'queued', noticeId: id };
  } catch (e) {
    log.warn({ where: 'notify', err: e instanceof Error ? e.name : 'unknown' }, 'notice not queued');
    return { notice: 'not_queued' };
  }
}

/** A job tells one user at most: the one whose sessions or account it acts on. */
export function jobNotice(
  input: { notify?: { message: string } },
  kind: JobNotice['kind'],
  userIds: readonly (string | null)[],
): JobNotice | null {
  const [userId, ...more] = userIds;
  return input.notify && userId && !more.length ? { kind, userId, message: input.notify.message } : null;
}
