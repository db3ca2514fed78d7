import { TextLink } from '@/components/ui/text-link';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/lib/paths';

export default function ApprovalNotFound() {
  return (
    <div className="space-y-4">
      <PageHeader
        title="Approval request not found"
        description="No request you may see has this id, or the link is wrong."
      />
      <p className="text-sm">
        <TextLink href={paths.approvals()} className="font-medium">
          See all approvals
        </TextLink>
      </p>
    </div>
  );
}
