import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireApprovalsStaff } from '../access';
import { getDb } from '@/lib/db';
import { approvalStore, expireDueApprovals } from '@/lib/approvals';
import { describeApproval } from '@/lib/approvals/format';
import { UUID } from '@/lib/jobs/http';
import { stepUpFor } from '@/lib/jobs/plan';
import { can, plural } from '@/lib/vocabulary';
import { paths } from '@/lib/paths';
import { PageHeader } from '@/components/ui/page-header';
import { TextLink } from '@/components/ui/text-link';
import { stepUpWithSsoAction } from '../../actions';
import { approveRequestAction, cancelRequestAction, declineRequestAction } from '../actions';
import { ApprovalStateBadge } from '../_components/approval-list';
import { DecideForm } from '../_components/decide-form';

export const metadata: Metadata = { title: 'Approval request' };

const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export default async function ApprovalPage({ params }: { params: Promise<{ approvalId: string }> }) {
  const staff = await requireApprovalsStaff();
  const { approvalId } = await params;
  if (!UUID.test(approvalId)) notFound();
  const db = await getDb();
  await expireDueApprovals(db);
  const a = await approvalStore(db).get(approvalId);
  const own = a?.requester.staffId === staff.id;
  if (!a || (!own && !can(staff.role, 'approvals:decide'))) notFound();
  const s = a.summary;
  const decider = a.state === 'waiting' && !own && can(staff.role, 'approvals:decide');
  const facts: [string, React.ReactNode][] = [
    ['Requested by', `${a.requester.email} (${a.requester.role})`],
    ['Requested', utc(a.createdAt)],
    ...(a.mode === 'request' ? [['Expires', utc(a.expiresAt)] as [string, string]] : []),
    ['Users', plural(s.users, 'user')],
    ['Sessions', s.sessions === null ? 'counted as the job runs' : plural(s.sessions, 'session')],
    ...(s.steps.length ? [['Steps', s.steps.join(', ')] as [string, string]] : []),
    ['Why it needs approval', s.why.join('; ') || '—'],
    ['Reason', a.reason],
    ...(a.reasonCode ? [['Reason code', a.reasonCode] as [string, string]] : []),
    ...(a.ticket ? [['Ticket', a.ticket] as [string, string]] : []),
    ...(a.emergencyReason ? [['Emergency reason', a.emergencyReason] as [string, string]] : []),
    ...(a.decidedBy
      ? [
          ['Decided by', `${a.decidedBy.email}${a.decidedAt ? `, ${utc(a.decidedAt)}` : ''}`] as [
            string,
            string,
          ],
        ]
      : []),
    ...(a.decisionReason ? [['Declined because', a.decisionReason] as [string, string]] : []),
  ];
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <TextLink href={paths.approvals()}>← All approvals</TextLink>
      </nav>
      <PageHeader title={describeApproval(s)} description={<ApprovalStateBadge a={a} />} />
      <dl
        className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]"
        data-testid="approval-facts"
      >
        {facts.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="font-medium text-gray-700 dark:text-gray-300">{k}</dt>
            <dd className="break-words">{v}</dd>
          </div>
        ))}
      </dl>
      {s.userIds.length ? (
        <div className="text-sm">
          <p className="font-medium">First users</p>
          <ul aria-label="First users" className="mt-1 font-mono text-xs">
            {s.userIds.map((u) => (
              <li key={u}>
                <TextLink href={paths.userSessions(u)}>{u}</TextLink>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {a.jobId ? (
        <p className="text-sm">
          <TextLink href={paths.job(a.jobId)} className="font-medium">
            Open the job
          </TextLink>
        </p>
      ) : null}
      {decider || (own && a.state === 'waiting') ? (
        <DecideForm
          approvalId={a.id}
          role={decider ? 'decider' : 'requester'}
          stepUp={decider ? stepUpFor(staff, true) : null}
          approve={approveRequestAction}
          decline={declineRequestAction}
          cancel={cancelRequestAction}
          ssoStepUp={stepUpWithSsoAction}
        />
      ) : null}
    </div>
  );
}
