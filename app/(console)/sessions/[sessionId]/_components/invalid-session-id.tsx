import { TextLink } from '@/components/ui/text-link';
import { Alert } from '@/components/ui/alert';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/lib/paths';

/** A path segment that is not a session id at all: say so plainly (nothing was asked of Clerk). */
export function InvalidSessionId({ value }: { value: string }) {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return (
    <div className="space-y-4">
      <PageHeader title="Not a session id" />
      <Alert tone="error" role="alert" title="This address does not name a session.">
        <span className="upstream-text font-mono">“{shown}”</span> is not a session id. Session ids start with{' '}
        <code className="font-mono">sess_</code> followed by letters and digits only.
      </Alert>
      <p className="text-sm">
        <TextLink href={paths.users()} className="font-medium">
          Find the user instead
        </TextLink>{' '}
        <span className="text-gray-600 dark:text-gray-400">(by email, name, phone or id).</span>
      </p>
    </div>
  );
}
