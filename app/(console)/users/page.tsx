import type { Metadata } from 'next';
import { Suspense } from 'react';
import { requireStaffPage } from '@/lib/auth/require-staff';
import { findUsers } from '@/lib/clerk';
import { PAGE_SIZES } from '@/lib/vocabulary';
import { Alert } from '@/components/ui/alert';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { SkeletonTable } from '@/components/ui/skeleton';
import { UpstreamText } from '@/components/ui/upstream-text';
import { SEARCH_LABEL } from '@/components/shell/global-search';
import { UsersTable } from './_components/users-table';
import { parseUsersQuery, usersParams, type UsersQuery } from '@/lib/queries/users-query';
import { pageRead } from '../_components/page-read';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireStaffPage('users:read', 'page:/users');
  const q = parseUsersQuery(await searchParams);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Users"
        description={
          q.query ? (
            <span className="flex min-w-0 items-center gap-1">
              Results for{' '}
              <UpstreamText
                value={`“${q.query}”`}
                className="max-w-md font-medium text-gray-900 dark:text-gray-100"
              />
            </span>
          ) : null
        }
      />
      {q.query ? (
        <Suspense key={JSON.stringify(q)} fallback={<SkeletonTable rows={8} columns={4} label="users" />}>
          <UsersResults q={q} />
        </Suspense>
      ) : (
        <EmptyState
          title="Find a user by email, name, phone or id"
          description={`Use the “${SEARCH_LABEL}” box at the top of every page. A session id (sess_…) or client id (client_…) takes you straight to its sessions.`}
        />
      )}
    </div>
  );
}

async function UsersResults({ q }: { q: UsersQuery }) {
  const read = await pageRead(findUsers(q.query, { limit: q.limit, offset: q.offset }));
  // A search that can't be run (control characters, oversize) is the searcher's input: say so in place.
  if (!read.ok) return <Alert tone="error">{read.invalid}</Alert>;
  const page = read.value;
  return (
    <div className="space-y-4">
      {page.data.length ? (
        <UsersTable users={page.data} />
      ) : (
        <EmptyState
          title="No users found"
          description="Check the spelling, or search by the full email address, phone number (with country code) or user id."
        />
      )}
      {page.totalCount > 0 ? (
        <Pagination
          pathname="/users"
          params={usersParams(q)}
          total={page.totalCount}
          limit={q.limit}
          offset={q.offset}
          shown={page.data.length}
          pageSizes={PAGE_SIZES}
          noun="user"
        />
      ) : null}
    </div>
  );
}
