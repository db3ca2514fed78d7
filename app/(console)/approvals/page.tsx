import type { Metadata } from 'next';
import { requireApprovalsStaff } from './access';
import { getDb } from '@/lib/db';
import { listApprovals } from '@/lib/approvals';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { ApprovalList } from './_components/approval-list';

export const metadata: Metadata = { title: 'Approvals' };

export default async function ApprovalsPage() {
  const staff = await requireApprovalsStaff();
  const { admin, waiting, recent, mine } = await listApprovals(await getDb(), staff, 50);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Approvals"
        description="Jobs above the deployer's thresholds wait here for a second administrator."
      />
      {admin ? (
        <section aria-labelledby="waiting-heading" className="space-y-2">
          <h2 id="waiting-heading" className="text-base font-semibold">
            Waiting
          </h2>
          {waiting.length ? (
            <ApprovalList items={waiting} label="Waiting requests" />
          ) : (
            <EmptyState title="Nothing is waiting" description="Requests from other admins appear here." />
          )}
        </section>
      ) : null}
      <section aria-labelledby="mine-heading" className="space-y-2">
        <h2 id="mine-heading" className="text-base font-semibold">
          Your requests
        </h2>
        {mine.length ? (
          <ApprovalList items={mine} label="Your requests" />
        ) : (
          <p className="text-sm text-gray-600 dark:text-gray-400">You have not asked for an approval.</p>
        )}
      </section>
      {admin && recent.length ? (
        <section aria-labelledby="recent-heading" className="space-y-2">
          <h2 id="recent-heading" className="text-base font-semibold">
            Recent
          </h2>
          <ApprovalList items={recent} label="Recent requests" />
        </section>
      ) : null}
    </div>
  );
}
