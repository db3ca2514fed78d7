import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireStaffPage } from '@/lib/auth/require-staff';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { paths } from '@/lib/paths';
import { readTimeline } from '@/lib/session-index/timeline';
import { USER_ID, plural } from '@/lib/vocabulary';
import { NewSessionsNotice } from '@/components/sessions/new-sessions-notice';
import { PageHeader } from '@/components/ui/page-header';
import { TextLink } from '@/components/ui/text-link';
import { UpstreamText } from '@/components/ui/upstream-text';
import { TimelineList } from './_components/timeline-list';

export const metadata: Metadata = { title: 'Timeline' };

const LIMIT = 300;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

async function read(userId: string) {
  const db = await getDb();
  const readAt = Date.now();
  const [timeline, who] = await Promise.all([
    readTimeline(db, userId, { limit: LIMIT }),
    db
      .selectFrom('session_index_users')
      .select(['user_name', 'user_email'])
      .where('user_id', '=', userId)
      .executeTakeFirst(),
  ]);
  return { timeline, who, readAt };
}

// Read from the console's own index: no Clerk request, and sessions Clerk has cleaned up are still here.
export default async function TimelinePage({ searchParams }: { searchParams: SearchParams }) {
  await requireStaffPage('sessions:read', 'page:/sessions/timeline');
  const raw = (await searchParams).user_id;
  const userId = typeof raw === 'string' ? raw : '';
  if (!USER_ID.test(userId)) notFound();
  const { timeline, who, readAt } = await read(userId);
  const name = who?.user_name ?? who?.user_email ?? timeline.events[0]?.sessionId ?? null;
  return (
    <div className="space-y-5">
      <nav aria-label="Breadcrumb" className="text-sm">
        <TextLink href={paths.userSessions(userId)}>← Sessions of this user</TextLink>
      </nav>
      <PageHeader
        title={
          <span className="flex min-w-0 flex-wrap items-baseline gap-2">
            Timeline
            {who ? (
              <>
                {' '}
                of <UpstreamText value={name} inline max={80} />
              </>
            ) : null}
          </span>
        }
        description={
          <>
            {plural(timeline.sessions, 'session')} in the session index, newest first: sign-ins, last activity
            and how each ended, with who revoked it and why when the console did.
            {timeline.truncated ? ` Only the newest ${LIMIT} events are shown.` : ''}
          </>
        }
      />
      <NewSessionsNotice userId={userId} since={readAt} />
      {timeline.events.length ? (
        <TimelineList events={timeline.events} reasons={getEnv().reasons} />
      ) : (
        <p className="text-sm">The session index holds no session of this user.</p>
      )}
    </div>
  );
}
