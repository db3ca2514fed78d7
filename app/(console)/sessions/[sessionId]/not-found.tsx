import { TextLink } from '@/components/ui/text-link';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/lib/paths';

export default function SessionNotFound() {
  return (
    <div className="space-y-4">
      <PageHeader
        title="Session not found"
        description="Clerk has no session with this id. It may belong to another instance, or the link is wrong."
      />
      <p className="text-sm">
        <TextLink href={paths.users()} className="font-medium">
          Find the user
        </TextLink>{' '}
        <span className="text-gray-600 dark:text-gray-400">and open their sessions from there.</span>
      </p>
    </div>
  );
}
