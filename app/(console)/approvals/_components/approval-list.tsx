import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { TextLink } from '@/components/ui/text-link';
import { describeApproval } from '@/lib/approvals/format';
import { APPROVAL_STATE_LABELS, type ApprovalState, type ApprovalView } from '@/lib/approvals/types';
import { paths } from '@/lib/paths';

const TONE: Record<ApprovalState, 'amber' | 'green' | 'red' | 'neutral'> = {
  waiting: 'amber',
  approved: 'green',
  executed: 'green',
  declined: 'red',
  expired: 'neutral',
  cancelled: 'neutral',
};

export function ApprovalStateBadge({ a }: { a: Pick<ApprovalView, 'state' | 'mode'> }) {
  if (a.mode === 'break_glass') return <Badge tone="red">Break-glass: acted alone</Badge>;
  return <Badge tone={TONE[a.state]}>{APPROVAL_STATE_LABELS[a.state]}</Badge>;
}

export function ApprovalList({ items, label }: { items: ApprovalView[]; label: string }) {
  return (
    <ul aria-label={label} className="divide-y divide-gray-200 text-sm dark:divide-gray-800">
      {items.map((a) => (
        <li key={a.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2" data-approval-id={a.id}>
          <ApprovalStateBadge a={a} />
          <TextLink href={paths.approval(a.id)} className="font-medium">
            {describeApproval(a.summary)}
          </TextLink>
          <span className="text-gray-700 dark:text-gray-300">“{a.reason}”</span>
          <span className="text-xs text-gray-600 dark:text-gray-400">
            by {a.requester.email}, <RelativeTime at={a.createdAt} />
          </span>
        </li>
      ))}
    </ul>
  );
}
