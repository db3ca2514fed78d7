import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Link } from '@/components/ui/link';
import { TextLink } from '@/components/ui/text-link';
import { notFound } from 'next/navigation';
import { requireStaffPage } from '@/lib/auth/require-staff';
import { can } from '@/lib/auth/roles';
import {
  ConsoleApiError,
  getClient,
  listSessions,
  type ClientDto,
  type SessionPage,
  type UserDto,
} from '@/lib/clerk';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { IdText } from '@/components/ui/id-text';
import { RelativeTime } from '@/components/ui/relative-time';
import { SkeletonTable } from '@/components/ui/skeleton';
import { UpstreamText } from '@/components/ui/upstream-text';
import { boundaryError } from '@/components/shell/boundary-error';
import { type SessionsQuery } from '@/lib/queries/sessions-query';
import { parseSessionsQuery } from '@/lib/queries/parse-sessions-query';
import { userLabel } from '@/components/sessions/session-format';
import { SessionsView, type SessionsRisk, type SessionsSubject } from './_components/sessions-view';
import { AccountStatePanel, AccountStateSkeleton } from './_components/account-state-panel';
import { getUserWithAccountState, type AccountStateDto } from '@/lib/clerk/account';
import {
  getUserRisk,
  listSessionsNeedingALook,
  sessionsPageFromRisk,
  signalsBySession,
  type UserRisk,
} from '@/lib/risk/server';
import { countryName } from '@/lib/risk/countries';
import { signalSummary } from '@/lib/risk/types';
import { paths } from '@/lib/paths';
import { plural } from '@/lib/plural';

export const metadata: Metadata = { title: 'Sessions' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Known upstream failures go to error.tsx as a digest (kind + trace id); an unknown id is a 404. */
function rethrow(e: unknown): never {
  if (e instanceof ConsoleApiError) {
    if (e.kind === 'not_found' || e.kind === 'invalid_input') notFound();
    throw boundaryError(e.kind, e.traceId, e.retryAfterSeconds);
  }
  throw e;
}

async function loadSessions(
  query: SessionsQuery,
  risk: Promise<UserRisk | null>,
): Promise<SessionPage & { fetchedAt: number }> {
  const fromRisk = query.userId && !query.look ? await risk : null;
  const cut = fromRisk ? sessionsPageFromRisk(fromRisk, query) : null;
  const page =
    cut ??
    (query.look && query.userId
      ? await listSessionsNeedingALook({ ...query, userId: query.userId })
      : await listSessions(query));
  return { ...page, fetchedAt: fromRisk && cut ? fromRisk.computedAt : Date.now() };
}

export default async function SessionsPage({ searchParams }: { searchParams: SearchParams }) {
  const staff = await requireStaffPage('sessions:read', 'page:/sessions');
  const parsed = parseSessionsQuery(await searchParams);
  if (!parsed.ok) return <InvalidQuery errors={parsed.errors} />;
  const query = parsed.query;
  const canRevoke = can(staff.role, 'sessions:revoke');

  // A failed risk read costs the badges, never the list; where it can't serve the page the list is read after it.
  const risk: Promise<UserRisk | null> = query.userId
    ? getUserRisk(query.userId).catch(() => null)
    : Promise.resolve(null);
  const sessions = loadSessions(query, risk);
  sessions.catch(() => {}); // handled where it is awaited; this only stops an "unhandled rejection" if the header 404s first
  let subject:
    | { kind: 'user'; user: UserDto; state: AccountStateDto; readAt: number }
    | { kind: 'client'; client: ClientDto };
  try {
    subject = query.userId
      ? { kind: 'user', ...(await getUserWithAccountState(query.userId)) }
      : { kind: 'client', client: await getClient(query.clientId!) };
  } catch (e) {
    rethrow(e);
  }
  const viewSubject: SessionsSubject =
    subject.kind === 'user'
      ? { kind: 'user', userId: subject.user.id, label: userLabel(subject.user) }
      : { kind: 'client', clientId: subject.client.id };

  return (
    <div className="space-y-6">
      {subject.kind === 'user' ? (
        <>
          <UserHeader user={subject.user} />
          <Suspense
            fallback={<p className="text-sm text-gray-600 dark:text-gray-400">Checking for signals…</p>}
          >
            <RiskSummary promise={risk} />
          </Suspense>
          <Suspense fallback={<AccountStateSkeleton />}>
            <AccountStatePanel state={subject.state} readAt={subject.readAt} risk={risk} />
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
          promise={sessions}
          risk={risk}
          query={query}
          canRevoke={canRevoke}
          subject={viewSubject}
        />
      </Suspense>
    </div>
  );
}

async function RiskSummary({ promise }: { promise: Promise<UserRisk | null> }) {
  const risk = await promise;
  if (!risk)
    return (
      <p className="text-sm text-amber-800 dark:text-amber-300">
        Risk signals could not be checked just now; the sessions below are unaffected.
      </p>
    );
  const open = risk.signals.filter((s) => !s.review);
  const reviewed = risk.signals.length - open.length;
  return (
    <p className="text-sm font-medium" data-testid="risk-summary">
      {signalSummary(open)}
      {reviewed > 0 ? (
        <span className="font-normal text-gray-600 dark:text-gray-400">
          {' '}
          ({reviewed.toLocaleString('en-US')} reviewed)
        </span>
      ) : null}
      {risk.totalCount > risk.sessions.length ? (
        <span className="font-normal text-gray-600 dark:text-gray-400">
          {' '}
          · from the newest {risk.sessions.length.toLocaleString('en-US')} of{' '}
          {plural(risk.totalCount, 'session')}
        </span>
      ) : null}
    </p>
  );
}

function toViewRisk(risk: UserRisk | null, rows: SessionPage['data']): SessionsRisk | undefined {
  if (!risk) return undefined;
  const countryNames: Record<string, string> = {};
  for (const s of [...rows, ...risk.sessions]) {
    const code = s.latestActivity?.country;
    if (code && !(code in countryNames)) {
      const name = countryName(code);
      if (name && name !== code) countryNames[code] = name;
    }
  }
  return { signals: signalsBySession(risk), countryNames };
}

async function SessionsSection({
  promise,
  risk: riskPromise,
  query,
  canRevoke,
  subject,
}: {
  promise: Promise<SessionPage & { fetchedAt: number }>;
  risk: Promise<UserRisk | null>;
  query: SessionsQuery;
  canRevoke: boolean;
  subject: SessionsSubject;
}) {
  let page: SessionPage & { fetchedAt: number };
  try {
    page = await promise;
  } catch (e) {
    rethrow(e);
  }
  return (
    <SessionsView
      query={query}
      initial={{ data: page.data, totalCount: page.totalCount, fetchedAt: page.fetchedAt }}
      canRevoke={canRevoke}
      subject={subject}
      risk={toViewRisk(await riskPromise, page.data)}
    />
  );
}

function UserHeader({ user }: { user: UserDto }) {
  const name = userLabel(user);
  return (
    <header className="space-y-1">
      <p className="text-sm text-gray-600 dark:text-gray-400">
        <Link href={paths.users()} className="underline-offset-2 hover:underline">
          Users
        </Link>{' '}
        / Sessions
      </p>
      <h1 className="flex min-w-0 flex-wrap items-center gap-2 text-xl font-semibold">
        <UpstreamText value={name} className="max-w-full min-w-0" />
        {user.banned ? <Badge tone="red">Banned</Badge> : null}
        {user.locked ? <Badge tone="amber">Locked</Badge> : null}
      </h1>
      <dl className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm text-gray-700 dark:text-gray-300">
        <div className="flex min-w-0 items-center gap-1.5">
          <dt className="sr-only">Email</dt>
          <dd className="min-w-0">
            <UpstreamText value={user.primaryEmail} fallback="No email" className="max-w-80" />
          </dd>
        </div>
        {user.primaryPhone ? (
          <div className="flex items-center gap-1.5">
            <dt className="sr-only">Phone</dt>
            <dd>
              <UpstreamText value={user.primaryPhone} />
            </dd>
          </div>
        ) : null}
        <div className="flex min-w-0 items-center gap-1.5">
          <dt className="text-gray-600 dark:text-gray-400">User id</dt>
          <dd className="min-w-0">
            <IdText id={user.id} label="user id" />
          </dd>
        </div>
        <div className="flex items-center gap-1.5">
          <dt className="text-gray-600 dark:text-gray-400">Last active</dt>
          <dd>
            <RelativeTime at={user.lastActiveAt} fallback="never" />
          </dd>
        </div>
      </dl>
    </header>
  );
}

function ClientHeader({ client }: { client: ClientDto }) {
  const userIds = [...new Set(client.sessions.map((s) => s.userId))];
  return (
    <header className="space-y-1">
      <p className="text-sm text-gray-600 dark:text-gray-400">
        <Link href={paths.users()} className="underline-offset-2 hover:underline">
          Users
        </Link>{' '}
        / Client sessions
      </p>
      <h1 className="text-xl font-semibold">Client</h1>
      <dl className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm text-gray-700 dark:text-gray-300">
        <div className="flex min-w-0 items-center gap-1.5">
          <dt className="text-gray-600 dark:text-gray-400">Client id</dt>
          <dd className="min-w-0">
            <IdText id={client.id} label="client id" />
          </dd>
        </div>
        <div className="flex items-center gap-1.5">
          <dt className="text-gray-600 dark:text-gray-400">Created</dt>
          <dd>
            <RelativeTime at={client.createdAt} />
          </dd>
        </div>
        {userIds.length ? (
          <div className="flex min-w-0 flex-wrap items-center gap-1.5">
            <dt className="text-gray-600 dark:text-gray-400">{userIds.length === 1 ? 'User' : 'Users'}</dt>
            {userIds.slice(0, 10).map((id) => (
              <dd key={id}>
                <TextLink href={paths.userSessions(id)} className="font-mono text-xs">
                  {id}
                </TextLink>
              </dd>
            ))}
          </div>
        ) : null}
      </dl>
    </header>
  );
}

function InvalidQuery({ errors }: { errors: string[] }) {
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-xl font-semibold">Sessions</h1>
      <Alert tone="error" title="This link can’t be opened">
        <ul className="list-inside list-disc">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      </Alert>
      <p className="text-sm text-gray-700 dark:text-gray-300">
        Sessions are listed for one user (<code>?user_id=user_…</code>) or one client (
        <code>?client_id=client_…</code>). Find the person first.
      </p>
      <ButtonLink href={paths.users()}>Find a user</ButtonLink>
    </div>
  );
}
