import { TextLink } from '@/components/ui/text-link';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/lib/paths';

export default function TimelineNotFound() {
  return (
    <div className="space-y-4">
      <PageHeader
        title="No such user"
        description="A timeline is opened for one user (?user_id=user_…) from their sessions page."
      />
      <TextLink href={paths.users()} className="text-sm font-medium">
        Find the user
      </TextLink>
    </div>
  );
}
