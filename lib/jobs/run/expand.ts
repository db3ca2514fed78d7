import 'server-only';
import { toConsoleApiError } from '@/lib/clerk/errors';
import type { ClaimedItem, PageSaved } from '@/lib/jobs/store/claims';
import type { JobRow } from '@/lib/jobs/store/reads';
import { isIncidentJob } from '@/lib/jobs/policy';
import type { RunContext } from './context';

async function afterPage(c: RunContext, item: ClaimedItem, job: JobRow, saved: PageSaved) {
  const what = `${item.kind === 'user' ? 'User' : 'Client'} ${item.target}`;
  if (saved === 'saved') return c.settle(item, { outcome: 'expanded' });
  if (saved === 'not_running') return c.store.release(item.id, c.owner, { sent: false });
  if (saved === 'job_cap') {
    await c.store.note(
      job.id,
      `This job reached its limit of ${c.cap.toLocaleString('en-US')} sessions: ${what} was not read in full, and its sessions past the limit are not revoked. Start another job for them.`,
    );
    return c.settle(item, { outcome: 'failed', code: 'job_session_cap' });
  }
  await c.store.unhold(item);
  await c.store.note(
    job.id,
    `${what} has sessions of more than one user: this job revokes one user's sessions, so none were added. An incident job (administrators) can revoke them.`,
  );
  return c.settle(item, { outcome: 'failed', code: 'second_owner' });
}

// Sessions stay unclaimable until the last page, so no revoke shifts the offsets; a crash resumes at the stored one.
export async function expand(c: RunContext, item: ClaimedItem, job: JobRow) {
  const { store, owner, cap } = c;
  const keep = job.scope.keepSessionId;
  const singleOwner = !isIncidentJob(job.permission);
  try {
    if (item.kind === 'client') {
      const found = await c.inLane(job, () => c.clerk.activeSessionsOfClient(item.target));
      const saved = await store.savePage(
        item,
        owner,
        found.filter((s) => s.sessionId !== keep),
        { cursor: null, hold: false, singleOwner, cap },
      );
      return afterPage(c, item, job, saved);
    }
    const offset = Math.max(0, Number(item.cursor ?? 0) || 0);
    const page = await c.inLane(job, () => c.clerk.activeSessionsPage(item.target, offset));
    const cursor = page.next === null ? null : String(page.next);
    const saved = await store.savePage(
      item,
      owner,
      page.sessions.filter((s) => s.sessionId !== keep),
      { cursor, hold: true, singleOwner, cap },
    );
    if (saved === 'saved' && cursor !== null) return store.release(item.id, owner, { sent: false });
    return afterPage(c, item, job, saved);
  } catch (e) {
    const err = toConsoleApiError(e, item.kind === 'user' ? 'user' : 'client');
    if (err.kind === 'rate_limited' || err.kind === 'unavailable') {
      c.backoff((err.retryAfterSeconds ?? 2) * 1000);
      await store.release(item.id, owner, { sent: false });
      return;
    }
    await store.unhold(item);
    if (err.kind === 'not_found') {
      await c.settle(item, { outcome: 'expanded', code: 'not_found', traceId: err.traceId });
    } else if (err.kind === 'key_rejected') {
      await c.failJob(job, 'Clerk rejected the console key.');
    } else {
      await c.settle(item, { outcome: 'failed', code: err.clerkCode ?? err.kind, traceId: err.traceId });
    }
  }
}
