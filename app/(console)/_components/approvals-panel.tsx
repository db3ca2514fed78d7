import { getDb } from '@/lib/db';
import { listApprovals } from '@/lib/approvals';
import { can, type Role } from '@/lib/vocabulary';
import { ApprovalList } from '../approvals/_components/approval-list';

const SHOWN = 5;

/** "Waiting for your approval" (another admin's requests) and the viewer's own requests with their state. */
export async function ApprovalsPanel({ staff }: { staff: { id: string; role: Role } }) {
  if (!can(staff.role, 'sessions:revoke')) return null;
  const { waiting, mine } = await listApprovals(await getDb(), staff, SHOWN);
  const forMe = waiting.filter((a) => a.requester.staffId !== staff.id);
  const mineShown = mine.filter((a) => a.mode === 'request');
  if (!forMe.length && !mineShown.length) return null;
  return (
    <section aria-labelledby="approvals-heading" className="space-y-3" data-testid="approvals-panel">
      {forMe.length ? (
        <div className="space-y-1">
          <h2 id="approvals-heading" className="text-base font-semibold">
            Waiting for your approval
          </h2>
          <ApprovalList items={forMe} label="Waiting for your approval" />
        </div>
      ) : null}
      {mineShown.length ? (
        <div className="space-y-1">
          <h2 id={forMe.length ? undefined : 'approvals-heading'} className="text-base font-semibold">
            Your approval requests
          </h2>
          <ApprovalList items={mineShown} label="Your approval requests" />
        </div>
      ) : null}
    </section>
  );
}
