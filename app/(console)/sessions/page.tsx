import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { requireStaffPage } from '@/lib/auth/require-staff';
import { readSessionsPage, readSessionsSubject } from '@/lib/sessions/read-page';
import { parseSessionsQuery } from '@/lib/queries/parse-sessions-query';
import { can } from '@/lib/vocabulary';
import { SkeletonTable } from '@/components/ui/skeleton';
import { userLabel } from '@/components/sessions/session-format';
import { pageRead } from '../_components/page-read';
import {
  AccountStatePanel,
  AccountStateSkeleton,
  readAccountExtras,
} from './_components/account-state-panel';
import { InvalidQuery } from './_components/invalid-query';
import { RiskSummary } from './_components/risk-summary';
import { ClientHeader, UserHeader } from './_components/sessions-header';
import { SessionsSection } from './_components/sessions-section';
import { UserLive } from './_components/user-live';

export const metadata: Metadata = { title: 'Sessions' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SessionsPage({ searchParams }: { searchParams: SearchParams }) {
  const staff = await requireStaffPage('sessions:read', 'page:/sessions');
  const parsed = parseSessionsQuery(await searchParams);
  if (!parsed.ok) return <InvalidQuery errors={parsed.errors} />;
  const query = parsed.query;

  const { risk, list } = readSessionsPage(query);
  list.catch(() => {}); // awaited in its section; this only stops an "unhandled rejection" if the header 404s first
  const extras = query.userId ? readAccountExtras(query.userId) : undefined;
  const header = await pageRead(readSessionsSubject(query));
  if (!header.ok) notFound();
  const subject = header.value;

  return (
    <div className="space-y-6">
      {subject.kind === 'user' ? (
        <>
          <UserHeader user={subject.user} />
          <UserLive userId={subject.user.id} />
          <Suspense
            fallback={<p className="text-sm text-gray-600 dark:text-gray-400">Checking for signals…</p>}
          >
            <RiskSummary risk={risk} />
          </Suspense>
          <Suspense fallback={<AccountStateSkeleton />}>
            <AccountStatePanel state={subject.state} readAt={subject.readAt} risk={risk} extras={extras} />
          </Suspense>
        </>
      ) : (
        <ClientHeader client={subject.client} />
      )}
      <Suspense
        key={JSON.stringify(query)}
        fallback={<SkeletonTable rows={Math.min(query.limit, 10)} columns={9} label="sessions" />}
      >
        <SessionsSection
          list={list}
          query={query}
          canRevoke={can(staff.role, 'sessions:revoke')}
          subject={
            subject.kind === 'user'
              ? {
                  kind: 'user',
                  userId: subject.user.id,
                  label: userLabel(subject.user),
                  hasEmail: Boolean(subject.user.primaryEmail),
                }
              : { kind: 'client', clientId: subject.client.id }
          }
        />
      </Suspense>
    </div>
  );
}
