import Link from 'next/link';
import { PageHeader } from '@/components/ui/page-header';

export default function SessionNotFound() {
  return (
    <div className="space-y-4">
      <PageHeader
        title="Session not found"
        description="Clerk has no session with this id. It may belong to another instance, or the link is wrong."
      />
      <p className="text-sm">
        <Link
          href="/users"
          className="font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-300"
        >
          Find the user
        </Link>{' '}
        <span className="text-gray-600 dark:text-gray-400">and open their sessions from there.</span>
      </p>
    </div>
  );
}
