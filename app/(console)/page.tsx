import type { Metadata } from 'next';
import { Suspense } from 'react';
import { requireStaffPage } from '@/lib/auth/require-staff';
import { ButtonLink } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { Skeleton } from '@/components/ui/skeleton';
import { RunningJobs, type RunningJobSummary } from './_components/running-jobs';
import { listRunningJobs } from '@/lib/jobs';
import { MyActionsPanel } from './_components/my-actions-panel';
import { WatchlistPanel } from './_components/watchlist-panel';
import { ApprovalsPanel } from './_components/approvals-panel';
import { paths } from '@/lib/paths';

export const metadata: Metadata = { title: 'Home' };

export default async function ConsoleHome() {
  const staff = await requireStaffPage('users:read', 'page:/');
  const runningJobs: RunningJobSummary[] = (await listRunningJobs()).map((j) => ({
    id: j.id,
    label: `${j.state === 'paused' ? 'Paused' : 'Running'}: ${j.reason} (${j.createdByEmail})`,
    done: j.done,
    total: j.total,
    href: paths.job(j.id),
  }));
  return (
    <div className="space-y-8">
      <PageHeader
        title="Home"
        description="Who needs a look now, and what you did last."
        actions={<ButtonLink href={paths.users()}>Find a user</ButtonLink>}
      />
      <Suspense fallback={null}>
        <ApprovalsPanel staff={staff} />
      </Suspense>
      <Suspense fallback={<Skeleton className="h-24 w-full" />}>
        <WatchlistPanel />
      </Suspense>
      <RunningJobs jobs={runningJobs} />
      <Suspense fallback={<Skeleton className="h-16 w-full" />}>
        <MyActionsPanel email={staff.email} />
      </Suspense>
    </div>
  );
}
