import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { sessionsHref, type SessionsQuery } from '@/lib/queries/sessions-query';

export function SessionsEmpty({
  query,
  totalCount,
  userLabel,
}: {
  query: SessionsQuery;
  totalCount: number;
  userLabel: string | null;
}) {
  if (query.offset > 0 && totalCount > 0) {
    return (
      <EmptyState
        title="This page is past the end of the list"
        action={<ButtonLink href={sessionsHref(query, { offset: 0 })}>Go to the first page</ButtonLink>}
      />
    );
  }
  const statusWord = query.status === 'all' ? '' : `${query.status} `;
  return (
    <EmptyState
      title={query.look ? `No ${statusWord}sessions need a look` : `No ${statusWord}sessions`}
      description={
        userLabel !== null
          ? `${userLabel.slice(0, 120)} has no ${statusWord}sessions.`
          : `This client has no ${statusWord}sessions.`
      }
      action={
        query.status !== 'all' ? (
          <ButtonLink href={sessionsHref(query, { status: 'all' })}>Show all statuses</ButtonLink>
        ) : undefined
      }
    />
  );
}
